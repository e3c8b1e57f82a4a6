-- copydesk language server for Neovim 0.11+:
--   vim.lsp.enable('copydesk')
-- Override any field with vim.lsp.config('copydesk', { ... }) before enabling.
---@type vim.lsp.Config
return {
  cmd = { 'copydesk', 'lsp', '--stdio' },
  filetypes = { 'markdown' },
  -- copydesk.toml wins over a generator's config; .git is the last resort.
  root_markers = { 'copydesk.toml', '_config.yml', 'hugo.toml', 'config.toml', '.git' },
}
