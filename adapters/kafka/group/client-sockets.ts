/**
 * Every TCP connection of one kafkajs client session, through kafkajs's `socketFactory`, so a consumer
 * can be crashed and frozen from outside as a process would be, which kafkajs's own API cannot do:
 *
 * - crash: every socket is destroyed with an error and new ones fail at once. A process that dies sends
 *   nothing more; in particular the LeaveGroup that kafkajs's disconnect() sends never reaches a broker,
 *   so the coordinator learns of the death only when the session times out, as with a SIGKILLed Java
 *   consumer. (kafkajs is then disconnected for cleanliness; its LeaveGroup fails on the dead sockets.)
 * - freeze: nothing is written or read until thawed. Writes are held in order and sent on thaw, reads
 *   are paused; with the application's own thread held too (group-session.ts), no heartbeat leaves the
 *   client, so the coordinator expires its session: the zombie of a long GC pause or a SIGSTOP.
 *
 * Plain TCP only: the container cluster has no TLS listeners.
 */
import net from "node:net";
import type { ISocketFactory } from "kafkajs";

/** kafkajs's own keep-alive delay (src/network/socketFactory.js). */
const keepAliveMs = 60_000;
/** Writes held while frozen; beyond it the freeze outlasted any sane scenario (a harness bug). */
const maximumHeldWrites = 100_000;

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;

export type SocketsState = "running" | "frozen" | "crashed";

export class ClientSockets {
  private current: SocketsState = "running";
  private readonly open = new Set<net.Socket>();
  private held: { readonly write: Write; readonly chunk: unknown; readonly rest: unknown[] }[] = [];

  get state(): SocketsState {
    return this.current;
  }

  get openSockets(): number {
    return this.open.size;
  }

  readonly factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    if (ssl !== undefined && ssl !== null && Object.keys(ssl).length > 0) throw new Error("ClientSockets: TLS is not supported (the container cluster has plaintext listeners only)");
    if (this.current === "crashed") {
      // kafkajs listens for 'error': a dead process cannot open a connection.
      const socket = new net.Socket();
      process.nextTick(() => socket.destroy(new Error("the client crashed")));
      return socket;
    }
    const socket = net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, keepAliveMs);
    const write = socket.write.bind(socket) as Write;
    // kafkajs writes requests with socket.write only; held writes keep their order across sockets.
    (socket as unknown as { write: Write }).write = (chunk, ...rest) => {
      if (this.current === "running") return write(chunk, ...rest);
      if (this.current === "crashed") return false;
      if (this.held.length >= maximumHeldWrites) throw new Error(`ClientSockets: more than ${maximumHeldWrites} writes held while frozen`);
      this.held.push({ write, chunk, rest });
      return true;
    };
    if (this.current === "frozen") socket.pause();
    this.open.add(socket);
    socket.once("close", () => this.open.delete(socket));
    return socket;
  };

  /** Holds every write and read until thaw(). */
  freeze(): void {
    if (this.current !== "running") return;
    this.current = "frozen";
    for (const socket of this.open) socket.pause();
  }

  /** Sends the held writes in order, then reads again. */
  thaw(): void {
    if (this.current !== "frozen") return;
    this.current = "running";
    const held = this.held;
    this.held = [];
    for (const entry of held) entry.write(entry.chunk, ...entry.rest);
    for (const socket of this.open) socket.resume();
  }

  /** Destroys every connection (held writes are lost) and refuses new ones from now on. */
  crash(): void {
    this.current = "crashed";
    this.held = [];
    for (const socket of [...this.open]) socket.destroy(new Error("the client crashed"));
  }
}
