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
    void aStartWhosePortIsTakenRetriesOnFreshPortsAndServes() throws Exception {
        try (ServerSocket taken =
                new ServerSocket(FreePorts.reserve(), 50, InetAddress.getLoopbackAddress())) {
            List<Integer> handedOut = new CopyOnWriteArrayList<>();
            EmbeddedKafkaCluster.PortSource firstTaken =
                    () -> {
                        int port = handedOut.isEmpty() ? taken.getLocalPort() : FreePorts.reserve();
                        handedOut.add(port);
                        return port;
                    };
            try (EmbeddedKafkaCluster kafka =
                    EmbeddedKafkaCluster.builder().build().withPorts(firstTaken).start()) {
                assertThat(handedOut)
                        .as("controller and client port, then both again after the bind failure")
                        .hasSize(4)
                        .first()
                        .isEqualTo(taken.getLocalPort());
                kafka.createTopics(1, "after-retry");
                try (Admin admin = kafka.admin()) {
                    assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                            .contains("after-retry");
                }
                assertThat(kafka.bootstrapServers()).endsWith(":" + handedOut.get(3));
            }
        }
    }
}
