-- :checkhealth copydesk: is the server there, which version, which site root
-- the current buffer gets, and the position encoding a running server agreed on.
local M = {}

local health = vim.health

-- The settings in use: a running client's, else those of setup() or
-- vim.lsp.config('copydesk') (0.11+), else the plugin's defaults.
local function configured()
  local copydesk = require('copydesk')
  if copydesk.options then
    return copydesk.options, 'require("copydesk").setup()'
  end
  local ok, config = pcall(function()
    return vim.lsp.config and vim.lsp.config.copydesk
  end)
  if ok and type(config) == 'table' and type(config.cmd) == 'table' then
    return config, "vim.lsp.config('copydesk')"
  end
  return copydesk.defaults, 'the defaults'
end

local function running_clients(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ name = 'copydesk', bufnr = bufnr })
end

local function check_binary(config, source)
  local cmd = config.cmd
  if type(cmd) ~= 'table' or not cmd[1] then
    health.warn(('the command comes from a function (%s): not checked'):format(source))
    return nil
  end
  local executable = vim.fn.exepath(cmd[1])
  if executable == '' then
    health.error(('server `%s` not found (command from %s)'):format(cmd[1], source), {
      require('copydesk').INSTALL_HINT,
      'or set the command: vim.lsp.config("copydesk", { cmd = { "/path/to/copydesk", "lsp", "--stdio" } })',
    })
    return nil
  end
  health.ok(('server: %s (command from %s)'):format(executable, source))
  local version = vim.fn.system({ executable, '--version' })
  if vim.v.shell_error ~= 0 then
    health.error(('`%s --version` failed: %s'):format(executable, vim.trim(version)))
    return nil
  end
  health.ok('version: ' .. vim.trim(version))
  return executable
end

local function check_root(config, bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local clients = running_clients(bufnr)
  if #clients > 0 then
    for _, client in ipairs(clients) do
      health.ok(('site root of the current buffer: %s'):format(client.config.root_dir or '(none: single file)'))
    end
    return
  end
  if name == '' or vim.bo[bufnr].filetype ~= 'markdown' then
    health.info('site root: open a Markdown post to see which root it gets')
    return
  end
  local markers = config.root_markers or require('copydesk').defaults.root_markers
  for _, marker in ipairs(markers) do
    local found = vim.fs.find(marker, { path = vim.fs.dirname(name), upward = true })[1]
    if found then
      health.warn(('site root would be %s (%s), but no copydesk server is attached to this buffer'):format(
        vim.fs.dirname(found), marker), { "vim.lsp.enable('copydesk') (0.11+) or require('copydesk').setup()" })
      return
    end
  end
  health.warn('no site root above this buffer (none of ' .. table.concat(markers, ', ') .. '): it is checked alone')
end

local function check_clients()
  local clients = running_clients()
  if #clients == 0 then
    health.info('no copydesk server is running')
    return
  end
  for _, client in ipairs(clients) do
    health.ok(('server %d running: position encoding %s'):format(client.id, client.offset_encoding or '?'))
  end
end

function M.check()
  local bufnr = vim.api.nvim_get_current_buf()
  -- :checkhealth runs in a tab of its own: report on the buffer of the tab the user was in.
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].filetype == 'checkhealth' or vim.bo[bufnr].buftype ~= '' or name == '' or name:find('^health://') then
    local previous = vim.fn.tabpagenr('#')
    if previous > 0 then
      bufnr = vim.fn.tabpagebuflist(previous)[vim.fn.tabpagewinnr(previous)]
    end
  end
  health.start('copydesk')
  if vim.fn.has('nvim-0.8') == 0 then
    health.error('copydesk needs Neovim 0.8 or newer')
  end
  local config, source = configured()
  check_binary(config, source)
  check_root(config, bufnr)
  check_clients()
end

return M
