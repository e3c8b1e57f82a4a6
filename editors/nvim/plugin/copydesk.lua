-- Commands that work whichever way the server was started
-- (vim.lsp.enable('copydesk') on 0.11+, or require('copydesk').setup()).
if vim.g.loaded_copydesk then
  return
end
vim.g.loaded_copydesk = true

vim.api.nvim_create_user_command('CopydeskFixAll', function()
  require('copydesk').fix_all()
end, { desc = 'copydesk: apply every safe fix in the current buffer' })
