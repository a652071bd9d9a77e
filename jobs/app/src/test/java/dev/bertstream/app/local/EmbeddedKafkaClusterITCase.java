package dev.bertstream.app.local;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting the in-process brokers when a port they were given is taken meanwhile. */
class EmbeddedKafkaClusterITCase {

    @Test
    void aControllerWhosePortIsTakenFailsItsStartNotTheJvmAndTheClusterRetries() throws Exception {
        // A single node: broker and controller in one; the controller's port is handed out first.
        try (ServerSocket taken = takenPort()) {
            List<Integer> handedOut = new CopyOnWriteArrayList<>();
            try (EmbeddedKafkaCluster kafka =
                    EmbeddedKafkaCluster.builder()
                            .build()
                            .withPorts(takenAt(0, taken, handedOut))
                            .start()) {
                assertThat(handedOut)
                        .as("controller and client port, then both again after the bind failure")
                        .hasSize(4)
                        .first()
                        .isEqualTo(taken.getLocalPort());
                assertServes(kafka);
                assertThat(kafka.bootstrapServers()).endsWith(":" + handedOut.get(3));
            }
        }
    }

    @Test
    void aBrokerWhosePortIsTakenFailsItsStartAndTheClusterRetries() throws Exception {
        // Three brokers beside their controller; broker 1's client port is taken, as in the CI run
        // where another socket got it between the reservation and the bind.
        try (ServerSocket taken = takenPort()) {
            List<Integer> handedOut = new CopyOnWriteArrayList<>();
            try (EmbeddedKafkaCluster kafka =
                    EmbeddedKafkaCluster.builder()
                            .brokers(3)
                            .build()
                            .withPorts(takenAt(1, taken, handedOut))
                            .start()) {
                assertThat(handedOut)
                        .as("controller and three client ports, twice")
                        .hasSize(8)
                        .element(1)
                        .isEqualTo(taken.getLocalPort());
                assertServes(kafka);
                assertThat(kafka.bootstrapServers()).doesNotContain(":" + taken.getLocalPort());
            }
        }
    }

    private static ServerSocket takenPort() throws Exception {
        return new ServerSocket(FreePorts.reserve(), 50, InetAddress.getLoopbackAddress());
    }

    /** Fresh ports, except the {@code index}-th one handed out: the taken one. */
    private static EmbeddedKafkaCluster.PortSource takenAt(
            int index, ServerSocket taken, List<Integer> handedOut) {
        return () -> {
            int port = handedOut.size() == index ? taken.getLocalPort() : FreePorts.reserve();
            handedOut.add(port);
            return port;
        };
    }

    private static void assertServes(EmbeddedKafkaCluster kafka) throws Exception {
        kafka.createTopics(1, "after-retry");
        try (Admin admin = kafka.admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains("after-retry");
        }
    }
}
