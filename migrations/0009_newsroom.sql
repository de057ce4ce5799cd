-- Newsroom core: items (news, press releases, event notices, intranet bulletins), their
-- workflow history, comments, images and attachments, topics and must-read confirmations.
-- Distribution channels (newsletters, social media, signage) own their tables in later
-- migrations; they learn of publications through the newsroom's hooks and events.

-- A new staff role: approves items and publishes them (communications staff write them).
alter table role_grants drop constraint if exists role_grants_role_check;
alter table role_grants add constraint role_grants_role_check
  check (role in ('tenant_admin','communications','customer_service','unit_staff','moderator','publisher'));

create table news_topics (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  slug text not null,
  names jsonb not null default '{}'::jsonb,
  position int not null default 0,
  created_at timestamptz not null default now(),
  unique (tenant_id, slug),
  unique (tenant_id, id)
);

create table news_items (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  kind text not null check (kind in ('news','press_release','event','bulletin')),
  state text not null default 'draft' check (state in ('draft','in_review','approved','scheduled','published','archived')),
  -- The permalink's last part: unique per tenant, kept when the title changes.
  slug text not null,
  title jsonb not null default '{}'::jsonb,
  lead jsonb not null default '{}'::jsonb,
  -- Sanitized HTML per language.
  body jsonb not null default '{}'::jsonb,
  topics text[] not null default '{}',
  tags text[] not null default '{}',
  service_ids uuid[] not null default '{}',
  audience text not null default 'public' check (audience in ('public','staff')),
  -- Staff items only: empty = every staff member; otherwise these units and their sub-units.
  audience_unit_ids uuid[] not null default '{}',
  must_read boolean not null default false,
  event_starts_at timestamptz,
  event_ends_at timestamptz,
  event_location jsonb not null default '{}'::jsonb,
  embargo_until timestamptz,
  scheduled_at timestamptz,
  -- Set when the embargoed release went to the media distribution list.
  embargo_sent_at timestamptz,
  published_at timestamptz,
  archived_at timestamptz,
  version int not null default 1,
  created_by uuid,
  updated_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_fi tsvector generated always as (
    setweight(to_tsvector('finnish', coalesce(title->>'fi', '')), 'A') ||
    setweight(to_tsvector('finnish', coalesce(lead->>'fi', '')), 'B') ||
    setweight(to_tsvector('finnish', coalesce(body->>'fi', '')), 'C')) stored,
  search_sv tsvector generated always as (
    setweight(to_tsvector('swedish', coalesce(title->>'sv', '')), 'A') ||
    setweight(to_tsvector('swedish', coalesce(lead->>'sv', '')), 'B') ||
    setweight(to_tsvector('swedish', coalesce(body->>'sv', '')), 'C')) stored,
  search_en tsvector generated always as (
    setweight(to_tsvector('english', coalesce(title->>'en', '')), 'A') ||
    setweight(to_tsvector('english', coalesce(lead->>'en', '')), 'B') ||
    setweight(to_tsvector('english', coalesce(body->>'en', '')), 'C')) stored,
  check (not (embargo_until is not null and scheduled_at is not null)),
  unique (tenant_id, slug),
  unique (tenant_id, id)
);
create index news_items_public on news_items(tenant_id, published_at desc) where state = 'published';
create index news_items_due on news_items(coalesce(embargo_until, scheduled_at)) where state = 'scheduled';
create index news_items_services on news_items using gin (service_ids);
create index news_items_topics on news_items using gin (topics);
create index news_items_search_fi on news_items using gin (search_fi);
create index news_items_search_sv on news_items using gin (search_sv);
create index news_items_search_en on news_items using gin (search_en);

-- Every save and transition: who, when, what the item was after it.
create table news_item_versions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  item_id uuid not null,
  version int not null,
  action text not null,
  state text not null,
  snapshot jsonb not null,
  note text,
  changed_by uuid,
  changed_at timestamptz not null default now(),
  foreign key (tenant_id, item_id) references news_items(tenant_id, id) on delete cascade,
  unique (item_id, version, action, changed_at)
);
create index news_item_versions_item on news_item_versions(item_id, changed_at);

create table news_comments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  item_id uuid not null,
  author_id uuid,
  author_name text not null,
  body text not null,
  created_at timestamptz not null default now(),
  foreign key (tenant_id, item_id) references news_items(tenant_id, id) on delete cascade
);
create index news_comments_item on news_comments(item_id, created_at);

-- Images (with alt text, caption, credit, license) and attachments. An image can live in
-- the press image bank without an item.
create table news_media (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  item_id uuid,
  kind text not null check (kind in ('image','attachment')),
  filename text not null,
  content_type text not null,
  bytes bytea not null,
  size int not null,
  sha256 text not null,
  alt jsonb not null default '{}'::jsonb,
  caption jsonb not null default '{}'::jsonb,
  credit text,
  license text,
  in_image_bank boolean not null default false,
  position int not null default 0,
  created_by uuid,
  created_at timestamptz not null default now(),
  foreign key (tenant_id, item_id) references news_items(tenant_id, id) on delete cascade,
  unique (tenant_id, id)
);
create index news_media_item on news_media(item_id, position);
create index news_media_bank on news_media(tenant_id, created_at desc) where in_image_bank;

-- "Must read" bulletins: who confirmed having read which item.
create table news_read_confirmations (
  tenant_id uuid not null,
  item_id uuid not null,
  user_id uuid not null,
  confirmed_at timestamptz not null default now(),
  primary key (item_id, user_id),
  foreign key (tenant_id, item_id) references news_items(tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references staff_users(tenant_id, id) on delete cascade
);
