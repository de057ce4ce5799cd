-- Catalog (services, service channels, organizations, content pages) and routing
-- (search index, synonyms, promoted answers, query log). Shaped after the Finnish Service
-- Catalogue (PTV). Localized text is jsonb {fi, sv, en}; localized lists are {fi: [], ...}.
-- Rows imported from PTV keep the PTV id in external_id (unique per tenant), which makes
-- re-import idempotent.

create extension if not exists pg_trgm;

create table catalog_organizations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  external_id text,
  names jsonb not null,
  content_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, external_id),
  unique (tenant_id, id)
);

create table catalog_services (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- PTV id; null for services created locally in Aukio.
  external_id text,
  organization_id uuid references catalog_organizations(id) on delete set null,
  type text not null check (type in ('Service', 'PermitOrObligation')),
  status text not null default 'published' check (status in ('draft', 'published', 'archived')),
  names jsonb not null,                 -- L10n
  alternative_names jsonb not null default '{}'::jsonb, -- L10nList
  summary jsonb not null default '{}'::jsonb,
  description jsonb not null default '{}'::jsonb,
  user_instructions jsonb not null default '{}'::jsonb,
  charge_type text check (charge_type in ('Charged', 'Free', 'Other')),
  charge_description jsonb not null default '{}'::jsonb,
  service_classes jsonb not null default '[]'::jsonb, -- [{code, name: L10n}]
  target_groups jsonb not null default '[]'::jsonb,   -- [{code, name: L10n}]
  keywords jsonb not null default '{}'::jsonb,        -- L10nList (from PTV)
  languages text[] not null default '{}',
  -- Local additions on top of imported data; an import never overwrites them.
  local_keywords jsonb not null default '{}'::jsonb,  -- L10nList: extra synonyms / search words
  -- Hash of the imported fields: a re-import with the same hash reports "unchanged".
  content_hash text,
  external_modified timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid,
  unique (tenant_id, external_id),
  unique (tenant_id, id)
);
create index catalog_services_tenant on catalog_services(tenant_id, status);
create index catalog_services_classes on catalog_services using gin (service_classes jsonb_path_ops);

create table catalog_channels (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  external_id text,
  organization_id uuid references catalog_organizations(id) on delete set null,
  -- A service_location is what residents call a unit (office, library, swimming hall).
  kind text not null check (kind in ('service_location', 'phone', 'e_service', 'web_page', 'printable_form')),
  status text not null default 'published' check (status in ('draft', 'published', 'archived')),
  names jsonb not null,
  summary jsonb not null default '{}'::jsonb,
  description jsonb not null default '{}'::jsonb,
  -- service_location: {street: L10n, streetNumber, postalCode, postOffice: L10n}
  address jsonb,
  latitude double precision,
  longitude double precision,
  -- phone: [{number, prefix, lang, chargeType, chargeDescription}]
  phones jsonb not null default '[]'::jsonb,
  email text,
  -- e_service / web_page / printable_form: L10n of URLs
  urls jsonb not null default '{}'::jsonb,
  form_identifier jsonb not null default '{}'::jsonb,
  requires_authentication boolean not null default false,
  requires_signature boolean not null default false,
  -- ServiceHours (model.ts): regular weekly hours and exceptional days
  service_hours jsonb not null default '[]'::jsonb,
  languages text[] not null default '{}',
  -- The platform org unit that runs this place, if any (links staff to units).
  org_unit_id uuid,
  content_hash text,
  external_modified timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid,
  unique (tenant_id, external_id),
  unique (tenant_id, id)
);
create index catalog_channels_tenant on catalog_channels(tenant_id, kind, status);

create table catalog_service_channels (
  tenant_id uuid not null references tenants(id) on delete cascade,
  service_id uuid not null references catalog_services(id) on delete cascade,
  channel_id uuid not null references catalog_channels(id) on delete cascade,
  position int not null default 0,
  primary key (service_id, channel_id)
);
create index catalog_service_channels_channel on catalog_service_channels(tenant_id, channel_id);

create table catalog_import_runs (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  source text not null check (source in ('upload', 'api', 'sync')),
  status text not null check (status in ('running', 'succeeded', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  actor_id uuid,
  -- {created, updated, unchanged, errors: [{path, message}]}
  report jsonb not null default '{}'::jsonb
);
create index catalog_import_runs_tenant on catalog_import_runs(tenant_id, started_at desc);

-- Content pages: the draft lives in the row; the published snapshot is a copy, so editing a
-- published page does not change what residents see until it is published again.
create table content_pages (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title jsonb not null,
  summary jsonb not null default '{}'::jsonb,
  body jsonb not null default '{}'::jsonb,        -- L10n of sanitized HTML
  -- Optional topic (a service class code) the page belongs to, for listings and breadcrumbs.
  topic text,
  -- {title, summary, body, version} as published; null while unpublished.
  published jsonb,
  published_at timestamptz,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid,
  unique (tenant_id, slug),
  unique (tenant_id, id)
);

create table content_page_versions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  page_id uuid not null references content_pages(id) on delete cascade,
  version int not null,
  action text not null check (action in ('create', 'save', 'publish', 'unpublish')),
  title jsonb not null,
  summary jsonb not null,
  body jsonb not null,
  changed_by uuid,
  changed_by_name text,
  changed_at timestamptz not null default now()
);
create index content_page_versions_page on content_page_versions(tenant_id, page_id, changed_at desc);

-- The routing index: one row per routable thing (service, unit, page), owned by the routing
-- module and written by the catalog in the same transaction as the change.
create table search_documents (
  tenant_id uuid not null references tenants(id) on delete cascade,
  kind text not null check (kind in ('service', 'unit', 'page')),
  ref_id uuid not null,
  external_id text,
  -- The SearchDocument as built by src/modules/catalog/search-documents.ts
  doc jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, kind, ref_id)
);

-- Per-tenant synonyms: a resident's word (term) and what it means (expansion), per language.
create table search_synonyms (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  lang text not null check (lang in ('fi', 'sv', 'en')),
  term text not null,
  expansion text not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  unique (tenant_id, lang, term, expansion)
);

-- Promoted answers: when a query contains the phrase, the target is shown first.
create table search_promotions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  lang text not null check (lang in ('fi', 'sv', 'en')),
  phrase text not null,
  kind text not null check (kind in ('service', 'unit', 'page')),
  ref_id uuid not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  unique (tenant_id, lang, phrase, kind, ref_id)
);

-- The anonymous query log: no session, no IP, no person — only what was asked and found.
create table search_queries (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  q text not null,
  lang text not null,
  top_kind text,
  top_ref_id uuid,
  top_score real,
  result_count int not null,
  clicked_kind text,
  clicked_ref_id uuid,
  clicked_rank int,
  created_at timestamptz not null default now()
);
create index search_queries_tenant on search_queries(tenant_id, created_at desc);

-- One counter per tenant, bumped in the transaction of every change residents can see
-- (import, edit, publish): anonymous page caches and ETags are keyed by it.
create table content_versions (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  version bigint not null default 0
);
