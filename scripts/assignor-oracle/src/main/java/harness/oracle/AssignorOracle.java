package harness.oracle;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Reads assignor cases (JSON lines on standard input) and prints each case back with "java": the
 * assignment Kafka's own assignor computes for it, or "javaError" when the assignor throws. The group
 * leader's path is followed as the consumer does it: each member's subscription is built as its client
 * would build it (its assignor's user data after its previous assignment, owned partitions, generation),
 * serialized and parsed with the consumer protocol as it travels through the broker, put in a HashMap
 * in join order, and handed to a fresh assignor instance (a new leader) through assign(Cluster, ...).
 */
public final class AssignorOracle {
    private static final Gson GSON = new Gson();
    private static final Node NODE = new Node(0, "localhost", 9092);
    private static final String GROUP = "oracle-group";

    private AssignorOracle() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length == 1 && arguments[0].equals("--version")) {
            System.out.println(AppInfoParser.getVersion());
            return;
        }
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream output = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String line;
        while ((line = input.readLine()) != null) {
            if (line.isBlank()) continue;
            JsonObject testCase = GSON.fromJson(line, JsonObject.class);
            try {
                testCase.add("java", assign(testCase));
            } catch (RuntimeException failure) {
                testCase.addProperty("javaError", failure.getClass().getSimpleName() + ": " + failure.getMessage());
            }
            output.println(GSON.toJson(testCase));
        }
    }

    private static JsonObject assign(JsonObject testCase) {
        String name = testCase.get("assignor").getAsString();
        Cluster cluster = cluster(testCase.getAsJsonObject("partitionCounts"));
        // As ConsumerCoordinator.onLeaderElected builds it: a HashMap filled in the join response's order.
        Map<String, Subscription> subscriptions = new HashMap<>();
        for (JsonElement element : testCase.getAsJsonArray("members")) {
            JsonObject member = element.getAsJsonObject();
            String memberId = member.get("member").getAsString();
            Optional<String> instance = member.has("instance") ? Optional.of(member.get("instance").getAsString()) : Optional.empty();
            Subscription sent = subscription(name, member, memberId, instance);
            Subscription received = ConsumerProtocol.deserializeSubscription(ConsumerProtocol.serializeSubscription(sent));
            received.setGroupInstanceId(instance);
            subscriptions.put(memberId, received);
        }
        Map<String, Assignment> assignments = assignor(name).assign(cluster, new GroupSubscription(subscriptions)).groupAssignment();
        JsonObject result = new JsonObject();
        List<String> members = new ArrayList<>(assignments.keySet());
        Collections.sort(members);
        for (String member : members) {
            List<TopicPartition> partitions = new ArrayList<>(assignments.get(member).partitions());
            partitions.sort((left, right) -> {
                int byTopic = left.topic().compareTo(right.topic());
                return byTopic != 0 ? byTopic : Integer.compare(left.partition(), right.partition());
            });
            JsonArray list = new JsonArray();
            for (TopicPartition partition : partitions) list.add(pair(partition));
            result.add(member, list);
        }
        return result;
    }

    private static ConsumerPartitionAssignor assignor(String name) {
        switch (name) {
            case "range": return new RangeAssignor();
            case "roundrobin": return new RoundRobinAssignor();
            case "sticky": return new StickyAssignor();
            case "cooperative-sticky": return new CooperativeStickyAssignor();
            default: throw new IllegalArgumentException("assignor " + name + " is not one of range, roundrobin, sticky, cooperative-sticky");
        }
    }

    /**
     * The subscription the member's client sends. Eager members (range, roundrobin, sticky) have revoked
     * everything before joining, so they list no owned partitions; the sticky assignor carries the previous
     * assignment in its user data instead. Cooperative members keep and list what they own.
     */
    private static Subscription subscription(String name, JsonObject member, String memberId, Optional<String> instance) {
        List<String> topics = new ArrayList<>();
        for (JsonElement topic : member.getAsJsonArray("topics")) topics.add(topic.getAsString());
        List<TopicPartition> owned = new ArrayList<>();
        for (JsonElement partition : member.getAsJsonArray("owned")) {
            JsonArray pair = partition.getAsJsonArray();
            owned.add(new TopicPartition(pair.get(0).getAsString(), pair.get(1).getAsInt()));
        }
        int generation = member.get("generation").getAsInt();
        boolean assignedBefore = generation >= 0 || !owned.isEmpty();
        ConsumerGroupMetadata metadata = new ConsumerGroupMetadata(GROUP, generation, memberId, instance);
        ByteBuffer userData = null;
        List<TopicPartition> listed = Collections.emptyList();
        if (name.equals("sticky")) {
            StickyAssignor own = new StickyAssignor();
            if (assignedBefore) own.onAssignment(new Assignment(owned), metadata);
            userData = own.subscriptionUserData(new HashSet<>(topics));
        } else if (name.equals("cooperative-sticky")) {
            CooperativeStickyAssignor own = new CooperativeStickyAssignor();
            if (assignedBefore) own.onAssignment(new Assignment(owned), metadata);
            userData = own.subscriptionUserData(new HashSet<>(topics));
            listed = owned;
        }
        return new Subscription(topics, userData, listed, generation, Optional.empty());
    }

    private static Cluster cluster(JsonObject partitionCounts) {
        List<PartitionInfo> partitions = new ArrayList<>();
        for (Map.Entry<String, JsonElement> topic : partitionCounts.entrySet()) {
            for (int partition = 0; partition < topic.getValue().getAsInt(); partition++) {
                partitions.add(new PartitionInfo(topic.getKey(), partition, NODE, new Node[] {NODE}, new Node[] {NODE}));
            }
        }
        return new Cluster("oracle-cluster", List.of(NODE), partitions, Collections.emptySet(), Collections.emptySet());
    }

    private static JsonArray pair(TopicPartition partition) {
        JsonArray pair = new JsonArray();
        pair.add(partition.topic());
        pair.add(partition.partition());
        return pair;
    }
}
