/**
 * adapters/kafka/cluster's KafkaCluster behind the nemesis's ClusterControl. Scenario node names follow
 * chaos/nodes.ts (`controller-1`, `controller-2`, ...) while the fixture names controllers by their
 * Kafka node id (`controller-101`, ...): this is the one place that translates.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { ClusterSpec } from "../../chaos/scenario.js";
import { brokerNode, controllerNode } from "../../chaos/nodes.js";
import type { ClusterControl, ClusterFactory } from "./cluster-control.js";
import { startCluster } from "./cluster/index.js";
import type { KafkaCluster } from "./cluster/kafka-cluster.js";

export function controlOf(cluster: KafkaCluster): ClusterControl {
  const fixtureName = new Map<string, string>();
  for (const broker of cluster.brokers) fixtureName.set(brokerNode(broker.id), broker.name);
  cluster.controllers.forEach((controller, index) => fixtureName.set(controllerNode(index + 1), controller.name));
  const resolve = (node: string): string => {
    const name = fixtureName.get(node);
    if (name === undefined) throw new Error(`node '${node}' is not in the cluster; allowed: ${[...fixtureName.keys()].join(", ")}`);
    return name;
  };
  return {
    bootstrapServers: cluster.bootstrapServers,
    brokerIds: cluster.brokers.map((broker) => broker.id),
    nodeNames: [...fixtureName.keys()],
    kill: (node) => cluster.kill(resolve(node)),
    stop: (node) => cluster.stopNode(resolve(node)),
    // Not waiting: a restart inside the workload must not hold back the steps after it; the finale
    // waits for leaders on every broker instead.
    start: (node) => cluster.restart(resolve(node), { wait: false }),
    pause: (node) => cluster.pause(resolve(node)),
    resume: (node) => cluster.resume(resolve(node)),
    cut: (from, to) => cluster.cut(resolve(from), resolve(to)),
    cutClients: (node) => cluster.cutClient(resolve(node)),
    heal: () => cluster.heal(),
    close: () => cluster.stop(),
  };
}

/** Broker logs are many: they go to `logFile`; only the fixture's own `[cluster]` lines reach `log`. */
export function containerClusterFactory(image: string | undefined, logFile: string): ClusterFactory {
  mkdirSync(dirname(logFile), { recursive: true });
  return async (spec: ClusterSpec, options) => {
    const cluster = await startCluster({
      brokers: spec.brokers,
      controllers: spec.controllers,
      brokerConfig: spec.broker,
      log: (line) => {
        try {
          appendFileSync(logFile, `${line}\n`);
        } catch {
          // A log that cannot be written must not stop the run.
        }
        if (line.startsWith("[cluster]")) options.log(line);
      },
      ...(image === undefined ? {} : { image }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return controlOf(cluster);
  };
}
