import { Writable } from "node:stream";
import { sendLogsTo } from "./logger";

/**
 * For tests: captures the process's log lines (every level) until `restore()`. `text()` is the raw
 * output, to search for what must never be in it; `messages()` the lines' messages, in order.
 */
export function captureLogs(level: "error" | "warn" | "info" | "debug" | "trace" = "trace") {
  const chunks: string[] = [];
  const restore = sendLogsTo(
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    level,
  );
  const text = () => chunks.join("");
  const lines = () =>
    text()
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown> & { msg?: string });
  return { text, lines, messages: () => lines().map((l) => l.msg), restore };
}
