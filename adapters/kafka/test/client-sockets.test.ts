import net from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { ClientSockets } from "../group/client-sockets.js";

/** A local server that writes down what it received and answers "ack:<data>". */
async function server(): Promise<{ port: number; received: string[]; push(text: string): void; close(): Promise<void> }> {
  const received: string[] = [];
  const connections = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    connections.add(socket);
    socket.on("data", (data) => {
      received.push(data.toString());
      socket.write(`ack:${data.toString()}`);
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const port = (listener.address() as net.AddressInfo).port;
  return {
    port,
    received,
    push: (text) => {
      for (const socket of connections) socket.write(text);
    },
    close: async () => {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => listener.close(resolve));
    },
  };
}

function connect(sockets: ClientSockets, port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = sockets.factory({ host: "127.0.0.1", port, ssl: {}, onConnect: () => resolve(socket) });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
});

describe("ClientSockets", () => {
  test("frozen: nothing leaves and nothing is read; thawed: the held writes go out in order, the answers come in", async () => {
    const local = await server();
    closeServer = local.close;
    const sockets = new ClientSockets();
    const socket = await connect(sockets, local.port);
    const answers: string[] = [];
    socket.on("data", (data) => answers.push(data.toString()));
    socket.write("one");
    await sleep(100);
    expect(local.received.join("")).toBe("one");
    expect(answers.join("")).toBe("ack:one");
    sockets.freeze();
    socket.write("two");
    socket.write("three");
    await sleep(200);
    expect(local.received.join("")).toBe("one");
    sockets.thaw();
    await sleep(200);
    expect(local.received.join("")).toBe("onetwothree");
    expect(answers.join("")).toContain("ack:one");
    expect(answers.join("").replace("ack:one", "")).toMatch(/^ack:two(ack:)?three$/);
    socket.destroy();
  });

  test("frozen: what the other side sends is not read until the thaw", async () => {
    const local = await server();
    closeServer = local.close;
    const sockets = new ClientSockets();
    const socket = await connect(sockets, local.port);
    const answers: string[] = [];
    socket.on("data", (data) => answers.push(data.toString()));
    await sleep(50);
    sockets.freeze();
    local.push("pushed");
    await sleep(150);
    expect(answers).toEqual([]);
    sockets.thaw();
    await sleep(150);
    expect(answers.join("")).toBe("pushed");
    socket.destroy();
  });

  test("crash: open connections die with an error, new ones fail at once, and nothing more is written", async () => {
    const local = await server();
    closeServer = local.close;
    const sockets = new ClientSockets();
    const socket = await connect(sockets, local.port);
    const errors: string[] = [];
    socket.on("error", (error) => errors.push(error.message));
    sockets.freeze();
    socket.write("never");
    sockets.crash();
    await sleep(100);
    expect(errors).toEqual(["the client crashed"]);
    expect(socket.destroyed).toBe(true);
    expect(local.received).toEqual([]);
    const next = sockets.factory({ host: "127.0.0.1", port: local.port, ssl: {}, onConnect: () => undefined });
    const nextError = await new Promise<string>((resolve) => next.on("error", (error) => resolve(error.message)));
    expect(nextError).toBe("the client crashed");
    expect(local.received).toEqual([]);
    expect(sockets.state).toBe("crashed");
  });
});
