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

-- The finance views' clock of a campus (migration 016): the UTC offset of its newest version in force (one without an
-- offset: the deployment's, campus_settings of campus 1, which the migrator writes from Engine:UtcOffset); without a
-- version, the campus's campus_settings row, else the deployment's. It runs as its owner: a finance login reads no
-- campus_configurations, only the offsets this answers.
CREATE OR REPLACE FUNCTION campus_utc_offset_of(campus smallint) RETURNS interval LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce(
        (SELECT coalesce((c.settings::jsonb ->> 'utc_offset')::interval, (SELECT d.utc_offset FROM campus_settings d WHERE d.campus_no = 1))
           FROM campus_configurations c
          WHERE c.campus_no = campus AND c.effective_from <= now()
          ORDER BY c.effective_from DESC, c.version DESC
          LIMIT 1),
        (SELECT s.utc_offset FROM campus_settings s WHERE s.campus_no = campus),
        (SELECT s.utc_offset FROM campus_settings s WHERE s.campus_no = 1))
$$;
