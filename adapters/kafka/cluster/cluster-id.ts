import { randomBytes } from "node:crypto";

/**
 * A fresh KRaft cluster id: 16 random bytes in base64url, as Kafka's `Uuid.randomUuid()` writes them.
 *
 * Why the loop: about one id in 64 would start with '-', and `kafka-storage format --cluster-id -x...`
 * reads such a value as an option and refuses it, so a cluster failed to start at random. Kafka's own
 * generator re-draws for the same reason. Bounded: the chance of 16 draws all starting with '-' is 2^-96.
 */
export function newClusterId(draw: (size: number) => Buffer = randomBytes): string {
  for (let attempt = 0; attempt < 16; attempt++) {
    const id = draw(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
  throw new Error("newClusterId: 16 random cluster ids in a row started with '-'; the random source is broken");
}
