-- kagent controller (seed 000, KAGENT-1 / KAGENT-2): agents, tool servers and the tools each server exposes.
CREATE TABLE agents (
    id          VARCHAR(255) PRIMARY KEY,
    type        VARCHAR(64)  NOT NULL,
    config      TEXT,
    created_at  TIMESTAMP    NOT NULL,
    updated_at  TIMESTAMP    NOT NULL
);

CREATE TABLE tool_servers (
    name            VARCHAR(255) NOT NULL,
    group_kind      VARCHAR(255) NOT NULL,
    description     TEXT,
    last_connected  TIMESTAMP,
    created_at      TIMESTAMP    NOT NULL,
    updated_at      TIMESTAMP    NOT NULL,
    PRIMARY KEY (name, group_kind)
);

CREATE TABLE tools (
    id           VARCHAR(255) NOT NULL,
    server_name  VARCHAR(255) NOT NULL,
    group_kind   VARCHAR(255) NOT NULL,
    description  TEXT,
    created_at   TIMESTAMP    NOT NULL,
    updated_at   TIMESTAMP    NOT NULL,
    PRIMARY KEY (id, server_name, group_kind)
);

CREATE INDEX tools_by_server ON tools (server_name, group_kind);
