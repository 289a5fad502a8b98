/**
 * `kafka-harness verify | head -1`: once the reader goes away, writing to stdout fails with EPIPE.
 * That is the reader's choice, not an error of the harness: end quietly, with no stack, exit 0.
 * (The command's own code is not known yet at that point, and a half-printed table judged by nobody
 * is not worth finishing the run for.)
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") exit(0);
    else throw error;
  });
}
