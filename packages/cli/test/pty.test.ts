// The progress bar, under a real pseudo-terminal: `script` (util-linux) or tmux, whichever the machine has.
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { BIN, cleanEnv, importArgs, SAMPLE, waitUntil } from "./helpers.js";

const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const command = [process.execPath, BIN, ...importArgs(SAMPLE), "--sandbox", "--batch-size", "10", "--concurrency", "1"]
  .map(shellQuote)
  .join(" ");

describe.runIf(has("script"))("under a pseudo-terminal (script)", () => {
  it("draws a live bar on stderr, then erases it and restores the cursor before the summary", () => {
    // script -q -e -c: run the command in a pty, pass its exit code, log the raw terminal output to stdout.
    const result = spawnSync("script", ["-qec", `stty cols 120; ${command}`, "/dev/null"], {
      env: cleanEnv({ TERM: "xterm-256color", NO_COLOR: "" }),
      cwd: tmpdir(),
      encoding: "utf8",
    });
    expect(result.status).toBe(1); // the sample's bad rows
    const raw = result.stdout;
    const hide = raw.indexOf("\x1b[?25l");
    const show = raw.indexOf("\x1b[?25h");
    expect(hide).toBeGreaterThan(-1); // cursor hidden while the bar runs
    expect(show).toBeGreaterThan(hide); // and given back
    const frames = raw
      .slice(hide + "\x1b[?25l".length, show)
      .split("\r\x1b[2K")
      .filter(Boolean);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strip ANSI escapes
      const text = frame.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
      expect(text).toMatch(/^. Importing [█░]+ +(\?|\d+)% {2}read \d+ · sent \d+ · acked \d+/);
      expect([...text].length).toBeLessThan(120); // fitted to the width: never wraps
    }
    // The last thing before the summary is the erased line: the summary starts on a clean line.
    expect(raw.slice(show - "\r\x1b[2K".length, show)).toBe("\r\x1b[2K");
    expect(raw.slice(show + "\x1b[?25h".length)).toMatch(/^\S* ?Imported: 284 of 300 leads added/);
    // Colour is on for a terminal...
    expect(raw).toContain("\x1b[32m");
  });

  it("NO_COLOR turns colour off on a terminal too, but keeps the bar", () => {
    const raw = spawnSync("script", ["-qec", command, "/dev/null"], {
      env: cleanEnv({ TERM: "xterm-256color", NO_COLOR: "1" }),
      cwd: tmpdir(),
      encoding: "utf8",
    }).stdout;
    expect(raw).toContain("Importing ");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI colour escapes
    expect(raw).not.toMatch(/\x1b\[3\dm/);
  });
});

describe.runIf(!has("script") && has("tmux"))("under a pseudo-terminal (tmux)", () => {
  it("renders and ends with the summary on a clean screen", async () => {
    const session = `lb-${process.pid}`;
    execFileSync("tmux", [
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "120",
      "-y",
      "40",
      "-c",
      tmpdir(),
      `${command}; read -r _`, // the pane stays open (until the session is killed) for its screen to be read
    ]);
    try {
      let screen = "";
      await waitUntil("the summary is on the tmux screen", () => {
        screen = execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" });
        return screen.includes("Took");
      });
      expect(screen).toContain("Imported: 284 of 300 leads added");
      expect(screen).not.toMatch(/Importing [█░]/); // the bar was erased
    } finally {
      spawnSync("tmux", ["kill-session", "-t", session]);
    }
  });
});
