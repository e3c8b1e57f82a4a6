#!/usr/bin/env python3
"""Language-server half of bench/compare.sh (SPEC §6).

Drives copydesk and rumdl through the same JSON-RPC client over stdio, as an
editor would: each server gets the text-sync kind it advertises (incremental or
full). Measures, per server and mode (push: the client has no
textDocument.diagnostic capability and waits for publishDiagnostics; pull: it
sends textDocument/diagnostic after each change):

  didChange -> diagnostics, p50/p95 over EDITS edits of the post given, and the
  server process's CPU time (user + system) per edit;

and for copydesk alone (rumdl has no site index): indexing a workspace of
posts (time to the "indexed N posts" log message), completion of a tag value
at that size (p50/p95) with nothing typed yet and with the first two characters
of the site's most used tag typed, and the server's peak RSS (VmHWM).

Prints one JSON object on stdout; bench/compare.sh turns it into BENCHMARKS.md.
Every wait is bounded: a server that stops answering fails the run. As Python's
timeit does, the client's garbage collector is off while a sample is timed (it
collects between samples): its pauses, which grow with the size of the answer
parsed, belong to the instrument, not to the server measured.
"""
import gc, json, os, select, subprocess, sys, time
from pathlib import Path

TIMEOUT = 60.0


class Server:
    def __init__(self, argv, root):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=root)
        self.buf = bytearray()
        self.next_id = 0
        self.pending = []  # messages read while waiting for something else

    def send(self, msg):
        body = json.dumps(msg, ensure_ascii=False).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read_message(self, deadline):
        fd = self.proc.stdout.fileno()
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end >= 0:
                length = None
                for line in self.buf[:head_end].split(b"\r\n"):
                    key, _, value = line.partition(b":")
                    if key.strip().lower() == b"content-length":
                        length = int(value.strip())
                start = head_end + 4
                if length is not None and len(self.buf) >= start + length:
                    body = self.buf[start:start + length]
                    del self.buf[:start + length]
                    return json.loads(body)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError("server did not answer in time")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise EOFError("server closed its output")
            self.buf += chunk

    def wait_for(self, predicate):
        for i, msg in enumerate(self.pending):
            if predicate(msg):
                return self.pending.pop(i)
        deadline = time.monotonic() + TIMEOUT
        while True:
            msg = self._read_message(deadline)
            if "id" in msg and "method" in msg:  # a request from the server: accept it
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                continue
            if predicate(msg):
                return msg
            self.pending.append(msg)
            del self.pending[:-200]

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        msg = self.wait_for(lambda m: m.get("id") == rid and "method" not in m)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg.get("result")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def peak_rss_mb(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def cpu_ms(self):
        """User + system CPU time the server process has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()


def initialize(server, root, pull):
    # Completion list item defaults as VS Code's client (vscode-languageclient 9)
    # declares them; Neovim 0.11 declares the same but commitCharacters.
    item_defaults = ["commitCharacters", "editRange", "insertTextFormat", "insertTextMode", "data"]
    caps = {"general": {"positionEncodings": ["utf-16"]},
            "window": {"workDoneProgress": False},
            "textDocument": {"synchronization": {"didSave": True},
                             "publishDiagnostics": {"versionSupport": True},
                             "completion": {"completionList": {"itemDefaults": item_defaults}}}}
    if pull:
        caps["textDocument"]["diagnostic"] = {"dynamicRegistration": False}
    uri = Path(root).resolve().as_uri()
    result = server.request("initialize", {
        "processId": os.getpid(), "rootUri": uri, "capabilities": caps,
        "workspaceFolders": [{"uri": uri, "name": "bench"}]})
    server.notify("initialized", {})
    sync = result["capabilities"].get("textDocumentSync", 1)
    return sync.get("change", 1) if isinstance(sync, dict) else sync


def utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[round((len(ordered) - 1) * p)]


def timed(action):
    """Milliseconds `action` took and its result, with the garbage collector off
    while it ran (see the module's doc)."""
    gc.disable()
    try:
        started = time.perf_counter()
        result = action()
        return (time.perf_counter() - started) * 1000, result
    finally:
        gc.enable()


def edit_latency(argv, root, post, pull, edits):
    """didChange -> diagnostics: alternately types and deletes a character at the end
    of the post's last line, as a writer does."""
    server = Server(argv, root)
    try:
        change_kind = initialize(server, root, pull)
        uri = Path(post).resolve().as_uri()
        text = Path(post).read_text(encoding="utf-8")
        version = 1
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": version, "text": text}})
        if pull:
            server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        else:
            server.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri)
        lines = text.split("\n")
        line = len(lines) - 1
        samples = []
        cpu_before = server.cpu_ms()
        for i in range(edits):
            version += 1
            base = utf16_len(lines[line])
            if i % 2 == 0:
                change = {"range": {"start": {"line": line, "character": base},
                                    "end": {"line": line, "character": base}}, "text": "x"}
                lines[line] += "x"
            else:
                change = {"range": {"start": {"line": line, "character": base - 1},
                                    "end": {"line": line, "character": base}}, "text": ""}
                lines[line] = lines[line][:-1]
            if change_kind == 1:
                change = {"text": "\n".join(lines)}
            def change_and_wait():
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
                if pull:
                    server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
                else:
                    wanted = version
                    server.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                    and m["params"]["uri"] == uri
                                    and m["params"].get("version", wanted) == wanted)
            samples.append(timed(change_and_wait)[0])
        cpu_per_edit = (server.cpu_ms() - cpu_before) / edits
        return {"p50_ms": percentile(samples, 0.5), "p95_ms": percentile(samples, 0.95),
                "edits": edits, "server_cpu_ms_per_edit": cpu_per_edit}
    finally:
        server.close()


def warm_page_cache(root):
    """Reads every file under root once, untimed: indexing is then measured with the
    page cache as warm as for the interleaved `check` runs, not on a cold disk."""
    for path in Path(root).rglob("*"):
        if path.is_file():
            path.read_bytes()


def index_and_complete(argv, site, post, completions):
    """Indexing time of the workspace, completion of a tag value at that size, peak RSS."""
    server = Server(argv, site)
    try:
        started = time.perf_counter()
        initialize(server, site, pull=True)
        msg = server.wait_for(lambda m: m.get("method") == "window/logMessage"
                              and "indexed" in m["params"]["message"])
        indexing = time.perf_counter() - started
        uri = Path(post).resolve().as_uri()
        lines = Path(post).read_text(encoding="utf-8").split("\n")
        # A new tag item being typed: `tags: [a, b, |]` (or `tags: [|]` for a block list).
        tags_line = next(i for i, l in enumerate(lines) if l.startswith("tags:"))
        current = lines[tags_line]
        if "[" in current and current.rstrip().endswith("]"):
            head = current.rstrip()[:-1].rstrip()
            lines[tags_line] = head + (", " if not head.endswith("[") else "") + "]"
        else:
            lines[tags_line] = "tags: []"
        text = "\n".join(lines)
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        def complete(version, typed):
            """Completes `completions` times at the end of `typed`, the new item's text."""
            line = head_of_item + typed + "]"
            end = {"line": tags_line, "character": utf16_len(lines[tags_line])}
            lines[tags_line] = line
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": tags_line, "character": 0},
                                              "end": end}, "text": line}]})
            position = {"line": tags_line, "character": utf16_len(line) - 1}
            samples = []
            for _ in range(completions):
                elapsed, result = timed(lambda: server.request("textDocument/completion", {
                    "textDocument": {"uri": uri}, "position": position}))
                samples.append(elapsed)
            items = result["items"] if isinstance(result, dict) else result or []
            return samples, items, isinstance(result, dict) and result.get("isIncomplete", False)

        head_of_item = lines[tags_line][:-1]
        samples, items, incomplete = complete(2, "")
        # What a writer types before picking: two characters of the most used tag.
        top = min(items, key=lambda item: item.get("sortText", item["label"]))["label"]
        typed = top[:2]
        typed_samples, typed_items, typed_incomplete = complete(3, typed)
        return {"indexing_s": indexing, "log": msg["params"]["message"],
                "completion_p50_ms": percentile(samples, 0.5),
                "completion_p95_ms": percentile(samples, 0.95),
                "completion_items": len(items), "completion_incomplete": incomplete,
                "completion_typed": typed,
                "completion_typed_p50_ms": percentile(typed_samples, 0.5),
                "completion_typed_p95_ms": percentile(typed_samples, 0.95),
                "completion_typed_items": len(typed_items),
                "completion_typed_incomplete": typed_incomplete,
                "peak_rss_mb": server.peak_rss_mb()}
    finally:
        server.close()


def main():
    config = json.loads(sys.argv[1])
    out = {"edits": {}}
    for name, argv in config["servers"].items():
        for mode in config.get("modes", ("push", "pull")):
            for label, post in config["posts"].items():
                key = f"{name} {mode} {label}"
                print(f"   {key}", file=sys.stderr)
                out["edits"][key] = edit_latency(argv, config["edit_root"], post, mode == "pull",
                                                 config["edits"])
    for label, site in config.get("index_sites", {}).items():
        print(f"   copydesk index {label}", file=sys.stderr)
        warm_page_cache(site["root"])
        out[f"index {label}"] = index_and_complete(config["servers"]["copydesk"], site["root"],
                                                   site["post"], config["completions"])
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
