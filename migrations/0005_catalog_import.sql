-- Catalog import (PTV): who ran each import, and each tenant's scheduled PTV sync.

-- The actor as the import runs list shows it (a staff member's name, an API token's name, or
-- "sync"); actor_id alone cannot say which kind of id it is.
alter table catalog_import_runs add column actor_kind text;
alter table catalog_import_runs add column actor_label text;

-- One row per tenant that has set up the nightly sync (catalog.ptv-sync job).
create table catalog_ptv_sync_settings (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  url text not null,
  enabled boolean not null default false,
  updated_at timestamptz not null default now(),
  updated_by uuid
);
