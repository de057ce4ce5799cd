-- Feedback and service requests (src/modules/feedback): categories per tenant (Open311
-- "services"), cases (Open311 "service requests") with their history, attachments,
-- submission keys that make a double submission create one case, submission rate
-- counters, and the address register that the address search and map pin use.

create table feedback_categories (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- Open311 service_code: stable, URL-safe, unique per tenant.
  code text not null check (code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  names jsonb not null,                            -- L10n
  descriptions jsonb not null default '{}'::jsonb, -- L10n
  -- Open311 "group" (a heading residents choose under) and keywords (routing suggestion).
  group_names jsonb not null default '{}'::jsonb,  -- L10n
  keywords jsonb not null default '{}'::jsonb,     -- L10nList
  -- The unit whose queue a new case enters.
  org_unit_id uuid not null,
  -- Catalog service this category is about: the routing engine's hits on it suggest the category.
  service_id uuid,
  location_mode text not null default 'optional' check (location_mode in ('none', 'optional', 'required')),
  allow_public boolean not null default true,
  -- Accessibility feedback (Act 306/2019): answered within 14 days, enforced in the service.
  accessibility boolean not null default false,
  sla_days int not null default 14 check (sla_days between 1 and 365),
  -- Open311 attributes: [{code, datatype, required, order, description: L10n, values: [{key, name: L10n}]}]
  attributes jsonb not null default '[]'::jsonb,
  active boolean not null default true,
  sort_order int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, code),
  unique (tenant_id, id),
  foreign key (tenant_id, org_unit_id) references org_units(tenant_id, id) on delete restrict,
  foreign key (tenant_id, service_id) references catalog_services(tenant_id, id) on delete set null (service_id)
);

-- Human-readable case numbers (Open311 service_request_id), shared by all tenants so a
-- busy tenant never waits on a per-tenant counter row; gaps are harmless.
create sequence feedback_case_number_seq start 1000;

create table feedback_cases (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  number bigint not null default nextval('feedback_case_number_seq') unique,
  category_id uuid not null,
  org_unit_id uuid not null,
  status text not null default 'new' check (status in
    ('new', 'in_progress', 'planned', 'waiting_for_resident', 'resolved', 'not_ours', 'duplicate', 'closed')),
  channel text not null check (channel in ('web', 'open311', 'staff')),
  -- The Open311 client (an api_tokens row) that posted the case.
  api_token_id uuid references api_tokens(id) on delete set null,
  description text not null check (length(description) <= 4000),
  attributes jsonb not null default '{}'::jsonb, -- {code: string | string[]}
  lat double precision check (lat between -90 and 90),
  lon double precision check (lon between -180 and 180),
  address text,
  -- Who reported (personal data: staff reads are audited). All optional.
  resident_id uuid,
  contact_name text,
  contact_email text,
  contact_phone text,
  -- The language the resident used; e-mails to them are written in it.
  lang text not null check (lang in ('fi', 'sv', 'en')),
  -- The private follow-up link carries the token; only its hash is kept.
  follow_token_hash text not null unique,
  -- The same token sealed with the app key (SecretBox), so later e-mails can carry the link.
  follow_token_sealed text not null,
  -- Open311 token (tokens/{token}); not a secret.
  open311_token text not null unique,
  assigned_to uuid,
  duplicate_of uuid references feedback_cases(id) on delete set null,
  -- What the public sees, written or approved by staff with personal data removed.
  public_description text,
  public_answer text,
  -- none → pending (waiting for a moderator) → published | rejected
  publication text not null default 'none' check (publication in ('none', 'pending', 'published', 'rejected')),
  published_at timestamptz,
  due_at timestamptz not null,
  resolved_at timestamptz,
  -- The resident's answer to "was this fixed?"
  fixed text check (fixed in ('yes', 'no')),
  fixed_comment text,
  fixed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, category_id) references feedback_categories(tenant_id, id) on delete restrict,
  foreign key (tenant_id, org_unit_id) references org_units(tenant_id, id) on delete restrict,
  foreign key (tenant_id, resident_id) references residents(tenant_id, id) on delete set null (resident_id),
  foreign key (tenant_id, assigned_to) references staff_users(tenant_id, id) on delete set null (assigned_to)
);
create index feedback_cases_queue on feedback_cases(tenant_id, org_unit_id, status, created_at desc);
create index feedback_cases_recent on feedback_cases(tenant_id, created_at desc);
create index feedback_cases_nearby on feedback_cases(tenant_id, category_id, created_at desc) where lat is not null;
create index feedback_cases_public on feedback_cases(tenant_id, published_at desc) where publication = 'published';
create index feedback_cases_resident on feedback_cases(tenant_id, resident_id, created_at desc) where resident_id is not null;

-- Everything that happened to a case, oldest first. visibility: internal (staff only),
-- resident (also on the follow-up page), public (also in the feed and Open311 status_notes).
create table feedback_case_events (
  id bigserial primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  case_id uuid not null,
  kind text not null check (kind in
    ('created', 'status', 'assigned', 'note', 'transfer', 'reply', 'public_answer', 'merged', 'fixed', 'attachment')),
  visibility text not null check (visibility in ('internal', 'resident', 'public')),
  actor_kind text not null,
  actor_id text,
  actor_name text,
  body text,
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  foreign key (tenant_id, case_id) references feedback_cases(tenant_id, id) on delete cascade
);
create index feedback_case_events_case on feedback_case_events(case_id, id);

create table feedback_attachments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  case_id uuid not null,
  filename text not null,
  -- Sniffed from the bytes, never taken from the client.
  content_type text not null,
  size int not null,
  sha256 text not null,
  -- The resident chose to keep the photo's EXIF location.
  location_kept boolean not null default false,
  data bytea not null,
  created_at timestamptz not null default now(),
  foreign key (tenant_id, case_id) references feedback_cases(tenant_id, id) on delete cascade
);
create index feedback_attachments_case on feedback_attachments(case_id);

-- One row per submission key: 'idem:<client key>' (kept for a day) or 'same:<hash of the
-- content and sender>' (kept for a minute). The insert decides, under the unique key,
-- whether a submission is new or a repeat of one that already made a case.
create table feedback_submissions (
  tenant_id uuid not null references tenants(id) on delete cascade,
  key text not null,
  case_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, key)
);
create index feedback_submissions_age on feedback_submissions(created_at);

-- Submissions counted per IP address and per e-mail address (hashed) in fixed windows.
create table feedback_rate (
  tenant_id uuid not null references tenants(id) on delete cascade,
  key text not null,
  window_start timestamptz not null,
  count int not null,
  primary key (tenant_id, key)
);

-- The address register behind the address search and the map pin's reverse look-up.
create table geo_addresses (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  street jsonb not null,      -- L10n: the street's name in the municipality's languages
  house_number text not null default '',
  postal_code text,
  post_office jsonb not null default '{}'::jsonb, -- L10n
  lat double precision not null,
  lon double precision not null,
  -- Lower-case "street number" strings in every language, for prefix and trigram search.
  search_text text not null
);
create index geo_addresses_search on geo_addresses using gin (search_text gin_trgm_ops);
create index geo_addresses_tenant on geo_addresses(tenant_id, lat, lon);
