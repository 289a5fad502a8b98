import { describe, expect, it } from "vitest";
import { JavaHashOrder, javaHashMapOrder, javaStringHash, topicPartitionHash } from "../java-hash.js";

// Orders printed by Java 17's java.util.HashMap / HashSet for the same insertions (jshell), so the
// emulation the sticky assignors rely on is checked against the real thing.
describe("Java hash order", () => {
  it("String.hashCode and TopicPartition.hashCode", () => {
    expect(javaStringHash("")).toBe(0);
    expect(javaStringHash("Aa")).toBe(javaStringHash("BB"));
    expect(javaStringHash("consumer-group-1-a")).toBe(-2_737_056);
    expect(topicPartitionHash("topic-a", 0)).toBe(-1_139_259_644);
    expect(topicPartitionHash("orders", 17)).toBe(-1_008_768_843);
  });

  it("a HashMap of member ids iterates as Java's (with a resize past 12 entries)", () => {
    const keys = ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13", "m14"];
    expect(javaHashMapOrder(keys).join(",")).toBe("m0,m1,m2,m3,m4,m5,m6,m7,m8,m9,m11,m10,m13,m12,m14");
    expect(javaHashMapOrder(["consumer-group-1-a", "consumer-group-2-b", "zeta", "alpha", "Aa", "BB", "C#", "c9"]).join(",")).toBe(
      "zeta,Aa,BB,C#,consumer-group-2-b,consumer-group-1-a,c9,alpha",
    );
  });

  it("colliding keys keep insertion order within their bin", () => {
    const keys = ["Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "AaAaAa", "AaAaBB", "AaBBAa", "BBAaAa", "AaBBBB"];
    expect(javaHashMapOrder(keys).join(",")).toBe("Aa,BB,AaAaAa,AaAaBB,AaBBAa,BBAaAa,AaBBBB,AaAa,BBBB,AaBB,BBAa");
  });

  it("a ninth key in one bin doubles the table below capacity 64, as Java's treeifyBin does", () => {
    const keys = ["m0", "m1", "m2", "x17", "AaAaAaAa", "AaAaAaBB", "AaAaBBAa", "AaAaBBBB", "AaBBAaAa", "AaBBAaBB", "AaBBBBAa", "AaBBBBBB", "BBAaAaAa", "BBAaAaBB", "q", "zz9"];
    expect(javaHashMapOrder(keys).join(",")).toBe("AaAaAaAa,AaAaAaBB,AaAaBBAa,AaAaBBBB,AaBBAaAa,AaBBAaBB,AaBBBBAa,AaBBBBBB,BBAaAaAa,BBAaAaBB,x17,m0,m1,m2,q,zz9");
  });

  it("a HashSet of partitions after removals and re-adds iterates as Java's", () => {
    const set = new JavaHashOrder<{ topic: string; partition: number }>(
      (entry) => topicPartitionHash(entry.topic, entry.partition),
      (entry) => `${entry.topic}-${entry.partition}`,
    );
    for (let partition = 0; partition < 20; partition++) set.add({ topic: "topic-a", partition });
    for (let partition = 0; partition < 20; partition += 3) set.delete({ topic: "topic-a", partition });
    set.add({ topic: "b", partition: 7 });
    set.add({ topic: "topic-a", partition: 3 });
    expect(set.keys().map((entry) => `${entry.topic}-${entry.partition}`).join(",")).toBe(
      "topic-a-11,topic-a-10,topic-a-8,topic-a-7,topic-a-5,topic-a-19,topic-a-17,topic-a-16,topic-a-14,topic-a-13,topic-a-4,topic-a-3,topic-a-2,topic-a-1,b-7",
    );
  });
});
