;;; test.el --- headless test of the eglot recipe  -*- lexical-binding: t; -*-

;; Run by editors/emacs/run.sh:
;;   COPYDESK_BIN=<server> COPYDESK_SITE=<site copy> emacs --batch -l test.el
;; Loads the README's recipe (copydesk-eglot.el), opens a post of the example site,
;; waits for copydesk's diagnostics in flymake, applies the quick fix of one of
;; them through `eglot-code-actions' and checks the buffer changed as expected.
;; Exits 0 when every check passed, 1 when one failed, 2 on an error in the test.

(require 'package)
(package-initialize)
(require 'cl-lib)
(require 'markdown-mode)
(require 'eglot)

(defvar copydesk-test-passed 0)
(defvar copydesk-test-failed 0)

(defun copydesk-test-check (condition what &optional detail)
  (if condition
      (progn (setq copydesk-test-passed (1+ copydesk-test-passed))
             (message "ok    %s" what))
    (setq copydesk-test-failed (1+ copydesk-test-failed))
    (message "FAIL  %s%s" what (if detail (format "\n      %S" detail) "")))
  condition)

(defun copydesk-test-wait (predicate seconds)
  "Process server output until PREDICATE returns non-nil or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)) result)
    (while (and (not (setq result (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    result))

(defun copydesk-test-code (diagnostic)
  (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diagnostic)) :code))

(defun copydesk-test-diagnostics (code)
  (cl-remove-if-not (lambda (d) (equal (copydesk-test-code d) code)) (flymake-diagnostics)))

(defun copydesk-test-run ()
  (let* ((bin (or (getenv "COPYDESK_BIN") (error "COPYDESK_BIN not set")))
         (site (file-name-as-directory (or (getenv "COPYDESK_SITE") (error "COPYDESK_SITE not set"))))
         (post (expand-file-name "source/_posts/imported-market-news.md" site))
         (attribute "data-sudaclick=\"content_marketkeywords_p\"")
         (here (file-name-directory (or load-file-name buffer-file-name))))
    ;; The recipe as users add it, with this test's binary on PATH.
    (setenv "PATH" (concat (file-name-directory bin) path-separator (getenv "PATH")))
    (setq exec-path (cons (file-name-directory bin) exec-path))
    (load (expand-file-name "copydesk-eglot.el" here) nil t)
    (setq eglot-confirm-server-initiated-edits nil)
    (find-file post)
    (copydesk-test-check (derived-mode-p 'markdown-mode) "the post opens in markdown-mode")
    ;; eglot-ensure connects after the next command; in batch there is none.
    (run-hooks 'post-command-hook)
    (let ((server (copydesk-test-wait #'eglot-current-server 20)))
      (copydesk-test-check server "eglot starts copydesk for the post")
      (when server
        (copydesk-test-check
         (equal (file-name-as-directory (expand-file-name (project-root (eglot--project server)))) site)
         "the project root is the site"
         (project-root (eglot--project server)))))
    (let* ((diagnostics (copydesk-test-wait (lambda () (copydesk-test-diagnostics "MK004")) 20))
           (mk004 (car diagnostics))
           (original-line (and mk004 (save-excursion (goto-char (flymake-diagnostic-beg mk004))
                                                     (buffer-substring (line-beginning-position) (line-end-position))))))
      (copydesk-test-check mk004 "flymake shows copydesk's MK004 (tracking attribute)"
                           (mapcar #'copydesk-test-code (flymake-diagnostics)))
      (copydesk-test-check (copydesk-test-diagnostics "MK001") "and MK001 (CMS comment)")
      (when mk004
        ;; The span is the attribute, after CJK text on its line: UTF-16 columns agree.
        (copydesk-test-check
         (equal (buffer-substring (flymake-diagnostic-beg mk004) (flymake-diagnostic-end mk004)) attribute)
         "the MK004 span is exactly the attribute (positions on a CJK line)"
         (buffer-substring (flymake-diagnostic-beg mk004) (flymake-diagnostic-end mk004)))
        (let* ((actions (eglot-code-actions (flymake-diagnostic-beg mk004) (flymake-diagnostic-end mk004) "quickfix"))
               (own (cl-find-if (lambda (action)
                                  (cl-some (lambda (d) (equal (plist-get d :code) "MK004"))
                                           (plist-get action :diagnostics)))
                                actions)))
          (copydesk-test-check own "eglot-code-actions offers MK004's quick fix"
                               (mapcar (lambda (a) (plist-get a :title)) actions))
          (when own
            (eglot--read-execute-code-action (list own) (eglot-current-server) "quickfix")
            (let* ((at (string-match (regexp-quote attribute) original-line))
                   (expected (concat (substring original-line 0 (1- at))
                                     (substring original-line (+ at (length attribute))))))
              (copydesk-test-check (not (string-match-p (regexp-quote attribute) (buffer-string)))
                                   "the quick fix removes the attribute")
              (copydesk-test-check
               (save-excursion (goto-char (point-min))
                               (search-forward expected nil t))
               "and only the attribute: the rest of the line is as it was"
               expected)
              (copydesk-test-check
               (copydesk-test-wait (lambda () (null (copydesk-test-diagnostics "MK004"))) 10)
               "MK004 leaves flymake after the fix"))))))
    (eglot-shutdown (eglot-current-server))))

(let ((status (condition-case err
                  (progn (copydesk-test-run) (if (> copydesk-test-failed 0) 1 0))
                (error (message "ERROR %S" err) 2))))
  (message "emacs: %d passed, %d failed" copydesk-test-passed copydesk-test-failed)
  (kill-emacs status))
;;; test.el ends here
