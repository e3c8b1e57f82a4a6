-- Headless test of :checkhealth copydesk. Run by editors/ci.sh:
--   COPYDESK_BIN=<server> COPYDESK_SITE=<site copy> nvim --headless --clean -c 'luafile test/health.lua'
-- Exits 0 when every check passed, 1 when one failed, 2 on an error in the test itself.
local bin = assert(os.getenv('COPYDESK_BIN'), 'COPYDESK_BIN not set')
local site = assert(os.getenv('COPYDESK_SITE'), 'COPYDESK_SITE not set')
local plugin_dir = vim.fs.dirname(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)))

local passed, failed = 0, 0
local function check(cond, what, detail)
  if cond then
    passed = passed + 1
    io.stderr:write('ok    ' .. what .. '\n')
  else
    failed = failed + 1
    io.stderr:write('FAIL  ' .. what .. (detail and ('\n      ' .. detail) or '') .. '\n')
  end
end

-- The report of :checkhealth copydesk, as the lines of its buffer.
local function checkhealth()
  vim.cmd('checkhealth copydesk')
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.cmd('tabclose')
  return table.concat(lines, '\n')
end

local function has(report, pattern)
  return report:find(pattern) ~= nil
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.lsp.config('copydesk', { cmd = { bin, 'lsp', '--stdio' } })
  vim.lsp.enable('copydesk')
  vim.cmd.edit(site .. '/source/_posts/wechat-reprint.md')
  local attached = vim.wait(15000, function()
    return #vim.lsp.get_clients({ name = 'copydesk', bufnr = 0 }) > 0
      and vim.lsp.get_clients({ name = 'copydesk' })[1].initialized
  end, 50)
  check(attached, 'the server attaches to a post')

  local report = checkhealth()
  io.stderr:write(report:gsub('\n', '\n      ') .. '\n')
  check(has(report, 'OK server: ' .. vim.pesc(bin)), 'reports the server binary it found')
  check(has(report, 'OK version: copydesk %d+%.%d+%.%d+'), 'reports the server version')
  check(has(report, 'OK site root of the current buffer: ' .. vim.pesc(site) .. '\n'), 'reports the site root of the post')
  check(has(report, 'position encoding utf%-%d+'), 'reports the position encoding of the running server')
  check(not has(report, 'ERROR'), 'no error with a working server')

  vim.lsp.config('copydesk', { cmd = { '/nonexistent/copydesk', 'lsp', '--stdio' } })
  local missing = checkhealth()
  check(has(missing, 'ERROR server `/nonexistent/copydesk` not found') and has(missing, 'pip install copydesk'),
    'a missing server is an error naming install commands', missing)
end)
if not ok then
  io.stderr:write('ERROR ' .. tostring(err) .. '\n')
end
io.stderr:write(('health: %d passed, %d failed\n'):format(passed, failed))
vim.cmd((ok and failed == 0) and 'qa!' or (ok and 'cq 1' or 'cq 2'))
