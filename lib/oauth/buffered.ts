/**
 * A fetch Request and Response whose bodies are already whole in memory, for the token path's
 * cost (docs/performance.md). Undici wraps every body in a ReadableStream when the object is
 * made: two thirds of a Response's cost and most of a Request's, paid on every token request by
 * the self-hosted mount, which has the request body in a Buffer before the handler runs and writes
 * the answer's text to a socket. These keep the bytes aside and make the stream only if someone
 * asks for it: any reader (a route handler, a test's `response.json()`, `request.arrayBuffer()`)
 * sees an ordinary body; the self-hosted mount and lib/oauth/form.ts take the bytes directly.
 */

/** A Request whose body (already read, and bounded, by the mount) is kept as bytes. */
export class BufferedRequest extends Request {
  readonly #bytes: Uint8Array;
  #full: Request | undefined;

  constructor(url: string, init: { method: string; headers: Headers }, bytes: Uint8Array) {
    super(url, init);
    this.#bytes = bytes;
  }

  /** The body's bytes, for a reader that needs no stream (lib/oauth/form.ts). */
  get bodyBytes(): Uint8Array {
    return this.#bytes;
  }

  /** The same request as undici makes it, body stream included; made once, on first use. */
  #streamed(): Request {
    this.#full ??= new Request(this.url, { method: this.method, headers: this.headers, body: this.#bytes as BodyInit });
    return this.#full;
  }

  override get body(): Request["body"] {
    return this.#streamed().body;
  }
  override get bodyUsed(): boolean {
    return this.#full?.bodyUsed ?? false;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#streamed().arrayBuffer();
  }
  override blob(): Promise<Blob> {
    return this.#streamed().blob();
  }
  override formData(): Promise<FormData> {
    return this.#streamed().formData();
  }
  override json(): Promise<unknown> {
    return this.#streamed().json();
  }
  override text(): Promise<string> {
    return this.#streamed().text();
  }
  override clone(): Request {
    return this.#streamed().clone();
  }
}

/** A Response whose body is a string known when it is made (the JSON answers of lib/oauth/errors.ts). */
export class TextResponse extends Response {
  readonly #text: string;
  #full: Response | undefined;

  constructor(text: string, init: { status: number; headers: Record<string, string> }) {
    super(null, init);
    this.#text = text;
  }

  /** The body, for a writer that needs no stream (lib/oauth/node-adapter.ts). */
  get bodyText(): string {
    return this.#text;
  }

  /** An ordinary Response with the same status, headers and body, for a framework to send (route-handler.ts). */
  toResponse(): Response {
    this.#full ??= new Response(this.#text, { status: this.status, statusText: this.statusText, headers: this.headers });
    return this.#full;
  }

  override get body(): Response["body"] {
    return this.toResponse().body;
  }
  override get bodyUsed(): boolean {
    return this.#full?.bodyUsed ?? false;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.toResponse().arrayBuffer();
  }
  override blob(): Promise<Blob> {
    return this.toResponse().blob();
  }
  override formData(): Promise<FormData> {
    return this.toResponse().formData();
  }
  override json(): Promise<unknown> {
    return this.toResponse().json();
  }
  override text(): Promise<string> {
    return this.toResponse().text();
  }
  override clone(): Response {
    return this.toResponse().clone();
  }
}
