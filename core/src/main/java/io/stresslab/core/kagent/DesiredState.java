package io.stresslab.core.kagent;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The desired state the reconcilers read, as controller-runtime's informer cache would hand it to them: Agents and
 * RemoteMCPServers by name. A key missing here means the resource was deleted.
 */
public final class DesiredState {
    private final ConcurrentMap<String, Agent> agents = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RemoteMcpServer> servers = new ConcurrentHashMap<>();

    public void putAgent(Agent agent) {
        agents.put(agent.id(), agent);
    }

    public void removeAgent(String name) {
        agents.remove(name);
    }

    public Optional<Agent> agent(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    public void putServer(RemoteMcpServer server) {
        servers.put(server.name(), server);
    }

    public Optional<RemoteMcpServer> server(String name) {
        return Optional.ofNullable(servers.get(name));
    }
}
