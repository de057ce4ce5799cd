-- The press room's contact people: who the media call or e-mail, in the order staff set.
-- Public information by intent (shown on /{lang}/press); the newsroom's editors keep it.
create table press_contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  name text not null,
  -- Job title per language, e.g. {"fi": "Viestintäjohtaja", "sv": "Kommunikationsdirektör"}.
  title jsonb not null default '{}'::jsonb,
  phone text,
  email text,
  -- news_topics slugs the person answers about; empty = anything.
  topics text[] not null default '{}',
  position int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id)
);
create index press_contacts_tenant on press_contacts(tenant_id, position);
