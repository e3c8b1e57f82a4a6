;;; copydesk-eglot.el --- copydesk for Markdown posts through eglot  -*- lexical-binding: t; -*-

;; The README's recipe: eglot starts `copydesk lsp --stdio' for Markdown buffers.
;; Put this in your init file (with markdown-mode installed), or load this file.

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((markdown-mode gfm-mode) . ("copydesk" "lsp" "--stdio"))))
(add-hook 'markdown-mode-hook #'eglot-ensure)

(provide 'copydesk-eglot)
;;; copydesk-eglot.el ends here
