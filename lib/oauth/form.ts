import { BufferedRequest } from "./buffered";
import { MAX_FORM_BYTES } from "./constants";
import { OAuthError } from "./errors";

/** A form-encoded body whose parameters each appear at most once (RFC 6749 3.2). */
export type Form = Map<string, string>;

/**
 * Reads an application/x-www-form-urlencoded body (RFC 6749 4.4.2), bounded in size. Anything
 * else (JSON, multipart, a huge body, bad percent-encoding, a repeated parameter) is a clean
 * invalid_request, never an exception.
 */
export async function readForm(request: Request): Promise<Form> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded(\s*;|$)/i.test(type.trim())) {
    throw new OAuthError("invalid_request", "Send the parameters form-encoded, with Content-Type: application/x-www-form-urlencoded.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) throw new OAuthError("invalid_request", `The request body is larger than ${MAX_FORM_BYTES} bytes.`, 413);
  let text: string;
  try {
    text = await readBounded(request);
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError("invalid_request", "The request body could not be read.");
  }
  const form: Form = new Map();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? "" : pair.slice(eq + 1));
    if (form.has(name)) throw new OAuthError("invalid_request", `The parameter ${name.slice(0, 40)} appears more than once.`);
    form.set(name, value);
  }
  return form;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    throw new OAuthError("invalid_request", "The body has malformed percent-encoding.");
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

async function readBounded(request: Request): Promise<string> {
  // The self-hosted mount read (and bounded) the body already: no stream to make and drain.
  if (request instanceof BufferedRequest) {
    const bytes = request.bodyBytes;
    if (bytes.byteLength > MAX_FORM_BYTES)
      throw new OAuthError("invalid_request", `The request body is larger than ${MAX_FORM_BYTES} bytes.`, 413);
    return utf8.decode(bytes);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new OAuthError("invalid_request", `The request body is larger than ${MAX_FORM_BYTES} bytes.`, 413);
    }
    chunks.push(value);
  }
  return utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

/** A parameter that must be present and non-empty. */
export function required(form: Form, name: string): string {
  const value = form.get(name);
  if (value === undefined || value === "") throw new OAuthError("invalid_request", `The ${name} parameter is missing.`);
  return value;
}
