-- Terminals are registered to one merchant by the card office (Cards.RegisterTerminal); a terminal's token
-- names its terminal id and merchant, and a call is refused unless both match a live registration here.
-- Revoking a terminal refuses its calls at once; its id is never registered again.
CREATE TABLE terminals (
    terminal_id    text        PRIMARY KEY,
    merchant_no    bigint      NOT NULL REFERENCES merchants (no),
    registered_at  timestamptz NOT NULL,
    registered_by  text        NOT NULL,
    revoked_at     timestamptz,
    revoked_by     text,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
