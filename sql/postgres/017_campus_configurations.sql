-- A campus's own settings (docs/campuses.md): time zone and business day, channels, card types' limits and fees, the
-- default-PIN rule, auto-claim, settlement cut-off, subsidy deadlines, offline age. Each version states them in full (what
-- it leaves out is the deployment's configuration) and applies from effective_from on; a version is never changed, a
-- change is a new version, written before the vendor is answered (Admin.ConfigureCampus). settings is the JSON of
-- Domain/Formats/CampusSettingsFormat.cs, which starts with its format version.
CREATE TABLE campus_configurations (
    campus_no       smallint    NOT NULL REFERENCES campuses (campus_no),
    version         integer     NOT NULL CHECK (version >= 1),
    effective_from  timestamptz NOT NULL,
    settings        text        NOT NULL,
    set_by          text        NOT NULL,
    set_at          timestamptz NOT NULL,
    PRIMARY KEY (campus_no, version)
);

CREATE TRIGGER campus_configurations_append_only BEFORE UPDATE OR DELETE ON campus_configurations
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
