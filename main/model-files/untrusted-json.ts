// JSON.parse for files the user (or anyone) handed the studio: a parse error says where, never what. JSON.parse's own
// message quotes the text ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"), which would put a few bytes
// of whatever file was named (a key, /etc/passwd) into an error the UI shows and logs keep.

export type JsonText = { ok: true; value: unknown } | { ok: false; problem: string };

const parses = (text: string): { ok: true } | { ok: false; message: string } => {
  try {
    JSON.parse(text);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
};

/** The 0-based offset of the first character JSON cannot accept, or null when the text only ends too early. */
function badOffset(text: string, message: string): number | null {
  const position = /at position (\d+)/.exec(message);
  if (position !== null) return Number(position[1]);
  if (!message.startsWith('Unexpected token')) return null;
  // V8 names no position when it quotes the text; the first bad character is where a prefix stops being a mere
  // unfinished JSON text and becomes a wrong one (prefixes only get worse, so a binary search finds it).
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    const outcome = parses(text.slice(0, mid));
    if (!outcome.ok && outcome.message.startsWith('Unexpected token')) bad = mid;
    else good = mid;
  }
  return bad - 1;
}

/** Parses `text`; on failure, `problem` is "empty", "ends early" or "line L, column C" and nothing of the text. */
export function parseUntrustedJson(text: string): JsonText {
  let message: string;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    message = (err as Error).message;
  }
  if (text.trim() === '') return { ok: false, problem: 'it is empty' };
  const offset = badOffset(text, message);
  if (offset === null || offset >= text.trimEnd().length) return { ok: false, problem: 'it ends before the JSON does' };
  const before = text.slice(0, offset).split('\n');
  return { ok: false, problem: `line ${before.length}, column ${before.at(-1)!.length + 1}` };
}
