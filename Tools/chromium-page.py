#!/usr/bin/env python3
"""Drives a real headless Chromium (Debian's `chromium`) over the DevTools protocol on a pipe (no library, no
port): opens a page, evaluates JavaScript and awaits its promise, picks files in <input type=file> as a
person would, clicks. Used by Tools/test-verify-page.sh and Tools/bench-verify-page.sh.

    Tools/chromium-page.py eval URL EXPRESSION                 prints the awaited value (JSON)
    Tools/chromium-page.py form URL SCRIPT.json                runs the steps in SCRIPT.json, prints results

A form script is a list of steps: {"files": {"#id": [path, ...]}}, {"type": {"#id": "text"}},
{"click": "#id"}, {"wait": "#result [data-verdict]"} (a selector; waits up to 60 s), {"read": "JS expression"}
(its value is printed, one JSON line per read), {"open": URL}."""
import fcntl, json, os, subprocess, sys, time


class Chromium:
    """One headless Chromium with one page, spoken to over --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self):
        to_chrome_read, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_write = os.pipe()
        # Chromium reads commands from fd 3 and writes answers to fd 4: map our pipe ends there (through
        # numbers above both first, so neither end is overwritten by the other's move).
        def child_fds():
            reading = fcntl.fcntl(to_chrome_read, fcntl.F_DUPFD, 10)
            writing = fcntl.fcntl(from_chrome_write, fcntl.F_DUPFD, 10)
            os.dup2(reading, 3)
            os.dup2(writing, 4)
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start; the pages are our own files.
        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4, to_chrome_read, from_chrome_write), preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self.buffer, self.next_id, self.session = b"", 0, None
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, params=None, timeout=120):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" not in self.buffer:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{method}: no answer in {timeout} s")
                chunk = os.read(self.from_chrome, 1 << 16)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("method") == "Runtime.exceptionThrown":
                details = answer["params"]["exceptionDetails"]
                print(f"chromium-page: page error: {details.get('exception', {}).get('description', details)}",
                      file=sys.stderr)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def open(self, url):
        self.call("Page.navigate", {"url": url})
        # Until the new document has loaded (the old one may still answer "complete" at first).
        self.wait(f"location.href === {json.dumps(url)} && document.readyState === 'complete'")

    def evaluate(self, expression, timeout=300):
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True}, timeout=timeout)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result["result"].get("value")

    def wait(self, condition, timeout=60):
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"Boolean({condition})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for {condition}")
            time.sleep(0.05)

    def pick_files(self, selector, paths):
        root = self.call("DOM.getDocument")["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        self.call("DOM.setFileInputFiles", {"nodeId": node, "files": [os.path.abspath(p) for p in paths]})

    def close(self):
        self.process.kill()
        self.process.wait()


def main():
    mode, url, argument = sys.argv[1:4]
    browser = Chromium()
    try:
        browser.open(url)
        if mode == "eval":
            print(json.dumps(browser.evaluate(argument)))
            return
        for step in json.load(open(argument)):
            if "open" in step:
                browser.open(step["open"])
            for selector, paths in step.get("files", {}).items():
                browser.pick_files(selector, paths)
            for selector, text in step.get("type", {}).items():
                browser.evaluate(f"document.querySelector({json.dumps(selector)}).value = {json.dumps(text)}")
            if "click" in step:
                browser.evaluate(f"document.querySelector({json.dumps(step['click'])}).click()")
            if "wait" in step:
                browser.wait(f"document.querySelector({json.dumps(step['wait'])})")
            if "read" in step:
                print(json.dumps(browser.evaluate(step["read"])))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
