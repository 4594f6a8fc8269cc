-- ORCH-1 / ORCH-2 (seed 003, MCP task orchestrator).

-- A parent task and its subtasks; archived once every subtask is completed.
CREATE TABLE task_breakdowns (
    parent_task_id VARCHAR(200) PRIMARY KEY,
    description    VARCHAR(2000) NOT NULL,
    archived       BOOLEAN NOT NULL DEFAULT FALSE,
    archive_count  INTEGER NOT NULL DEFAULT 0,   -- how many times it was archived: must end at exactly 1
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    archived_at    TIMESTAMP WITH TIME ZONE
);

CREATE TABLE subtasks (
    task_id        VARCHAR(200) PRIMARY KEY,
    parent_task_id VARCHAR(200) NOT NULL REFERENCES task_breakdowns (parent_task_id),
    title          VARCHAR(2000) NOT NULL,
    status         VARCHAR(20) NOT NULL,
    results        VARCHAR(4000),
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX subtasks_by_parent ON subtasks (parent_task_id);

-- Database locks. The insert-only manager (ORCH-2 before) inserts and deletes rows; the lease manager (after) keeps
-- each row forever, so fencing_token grows on every grant of the resource, and marks it free with a NULL lease.
CREATE TABLE lock_tracking (
    resource_name    VARCHAR(200) PRIMARY KEY,
    locked_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_by        VARCHAR(200) NOT NULL,
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    fencing_token    BIGINT NOT NULL DEFAULT 0
);

-- What a lock protects: a counter written read-modify-write by the holder, and a ledger of every accepted write.
CREATE TABLE protected_resource (
    resource_name VARCHAR(200) PRIMARY KEY,
    counter       BIGINT NOT NULL DEFAULT 0,
    last_token    BIGINT NOT NULL DEFAULT 0,
    last_writer   VARCHAR(200)
);

CREATE TABLE protected_ledger (
    resource_name VARCHAR(200) NOT NULL,
    counter_value BIGINT NOT NULL,
    writer        VARCHAR(200) NOT NULL,
    fencing_token BIGINT NOT NULL,
    written_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX protected_ledger_by_resource ON protected_ledger (resource_name);

-- Work items that several workers claim with SELECT … FOR UPDATE SKIP LOCKED.
CREATE TABLE work_items (
    item_id    BIGINT PRIMARY KEY,
    state      VARCHAR(20) NOT NULL,
    claimed_by VARCHAR(200),
    done_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX work_items_by_state ON work_items (state, item_id);

-- The checks' history of critical sections (enter/exit in epoch microseconds): kept in the database so that worker
-- processes that are killed leave their half of the story behind for the checker. exited_at_micros stays NULL for a
-- section whose owner crashed inside it.
CREATE TABLE critical_sections (
    resource_name     VARCHAR(200) NOT NULL,
    worker            VARCHAR(200) NOT NULL,
    fencing_token     BIGINT NOT NULL,
    entered_at_micros BIGINT NOT NULL,
    exited_at_micros  BIGINT
);
CREATE INDEX critical_sections_by_resource ON critical_sections (resource_name, entered_at_micros);
