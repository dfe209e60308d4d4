/** The part of m3u8-parser (npm, no bundled types) the playback test uses. */
declare module 'm3u8-parser' {
  export class Parser {
    push(chunk: string): void;
    end(): void;
    readonly manifest: Record<string, unknown>;
  }
}
