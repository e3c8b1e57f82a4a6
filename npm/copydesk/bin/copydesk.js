#!/usr/bin/env node
// Runs the copydesk binary of this platform's package (@copydesk/cli-<os>-<cpu>),
// which npm installed as an optional dependency: nothing is downloaded at install time.
"use strict";

const { spawnSync } = require("node:child_process");
const path = require("node:path");

const platformPackage = `@copydesk/cli-${process.platform}-${process.arch}`;
const executable = process.platform === "win32" ? "copydesk.exe" : "copydesk";

function binaryPath() {
  try {
    const manifest = require.resolve(`${platformPackage}/package.json`);
    return path.join(path.dirname(manifest), "bin", executable);
  } catch {
    console.error(
      `copydesk: no binary for ${process.platform}-${process.arch}: the package ` +
        `${platformPackage} is not installed.\n` +
        "It is an optional dependency of copydesk: reinstall without --no-optional/--omit=optional, " +
        "or install copydesk another way (pip install copydesk, cargo install copydesk).",
    );
    process.exit(2);
  }
}

const result = spawnSync(binaryPath(), process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`copydesk: could not run ${result.error.path ?? "the binary"}: ${result.error.message}`);
  process.exit(2);
}
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 2);
