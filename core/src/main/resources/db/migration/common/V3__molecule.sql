-- MOLECULE-1/-2: the molecule workspace registry (seed 001).
CREATE TABLE workspaces (
    id                VARCHAR(100) NOT NULL PRIMARY KEY,
    kind              VARCHAR(32)  NOT NULL,
    status            VARCHAR(32)  NOT NULL,
    last_heartbeat_at TIMESTAMP,
    updated_at        TIMESTAMP    DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT workspaces_status_known CHECK (status IN
        ('provisioning', 'online', 'degraded', 'offline', 'awaiting_agent', 'failed', 'removed'))
);

-- secret values are stored only as SHA-256 digests; the registry needs to know that a secret exists
CREATE TABLE workspace_secrets (
    workspace_id VARCHAR(100) NOT NULL REFERENCES workspaces (id),
    name         VARCHAR(100) NOT NULL,
    value_sha256 VARCHAR(64)  NOT NULL,
    PRIMARY KEY (workspace_id, name)
);

-- desired state, re-seeded on every provision (includes the management MCP plugin for a concierge)
CREATE TABLE workspace_declared_plugins (
    workspace_id VARCHAR(100) NOT NULL REFERENCES workspaces (id),
    plugin       VARCHAR(200) NOT NULL,
    PRIMARY KEY (workspace_id, plugin)
);

-- what the reconcile has delivered to the workspace's box
CREATE TABLE workspace_installed_plugins (
    workspace_id VARCHAR(100) NOT NULL REFERENCES workspaces (id),
    plugin       VARCHAR(200) NOT NULL,
    installed_at TIMESTAMP    DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, plugin)
);
