-- Info-TV signage: screens registered per org unit with a secret URL, each screen's
-- playlist of slides, and urgent notices that take over screens while they are active.

create table signage_screens (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  org_unit_id uuid not null,
  name text not null,
  location_note text not null default '',
  orientation text not null default 'landscape' check (orientation in ('landscape','portrait')),
  lang text not null default 'fi' check (lang in ('fi','sv','en')),
  slide_seconds int not null default 12 check (slide_seconds between 5 and 120),
  -- Only the SHA-256 of the screen's secret URL token is stored: the URL is shown once,
  -- at registration and after "rotate URL"; a lost URL is rotated, never read back.
  token_hash text not null unique,
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, org_unit_id) references org_units(tenant_id, id) on delete cascade
);
create index signage_screens_unit on signage_screens(tenant_id, org_unit_id);

create table signage_slides (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  screen_id uuid not null,
  position int not null,
  kind text not null check (kind in ('news','bulletins','image','text','hours')),
  -- Per kind: news {topic, count}; bulletins {count}; image {mediaId, alt} or {uploaded, alt}; text {title, body};
  -- hours {locationId} (a catalog service location).
  config jsonb not null default '{}'::jsonb,
  -- An image uploaded for this slide (not from the press image bank): it lives and dies
  -- with the slide, served at /signage/media/{slide id}.
  image_bytes bytea,
  image_type text,
  created_at timestamptz not null default now(),
  foreign key (tenant_id, screen_id) references signage_screens(tenant_id, id) on delete cascade
);
create index signage_slides_screen on signage_slides(screen_id, position);

create table signage_notices (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- Per language; the screen shows its own language, else the first one given.
  message jsonb not null,
  severity text not null default 'warning' check (severity in ('info','warning','danger')),
  -- Empty = every screen of the tenant; otherwise screens of these org units and their sub-units.
  unit_ids uuid[] not null default '{}',
  starts_at timestamptz not null,
  ends_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now(),
  check (ends_at is null or ends_at >= starts_at)
);
create index signage_notices_tenant on signage_notices(tenant_id, starts_at);
