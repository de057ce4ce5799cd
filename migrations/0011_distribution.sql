-- Distribution of newsroom items beyond the website: the media distribution list (press
-- releases by e-mail, embargoed copies to trusted contacts), Mastodon and a generic signed
-- webhook. One row per delivery (an e-mail to one contact, one status, one webhook call)
-- so each publication shows its status per channel and a failed one can be retried.

create table media_contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  name text not null,
  email text not null,
  outlet text not null default '',
  -- news_topics slugs; empty = every topic.
  topics text[] not null default '{}',
  -- Trusted to receive press releases before their embargo lapses.
  embargo_list boolean not null default false,
  language text not null default 'fi' check (language in ('fi','sv','en')),
  -- Self-subscribed journalists confirm their address (double opt-in); staff-added contacts are confirmed.
  confirmed boolean not null default false,
  source text not null default 'staff' check (source in ('staff','self')),
  -- sha256 of the confirmation link's token; cleared once confirmed.
  confirm_token_hash text,
  -- In every mail's unsubscribe link (kept as is: each mail needs it again).
  unsubscribe_token text not null,
  confirmed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  unique (unsubscribe_token)
);
create unique index media_contacts_email on media_contacts(tenant_id, lower(email));

-- One row per tenant: the social channels. Secrets are sealed with SecretBox and never shown back.
create table distribution_channels (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  mastodon_enabled boolean not null default false,
  mastodon_url text,
  mastodon_token_sealed text,
  mastodon_visibility text not null default 'public' check (mastodon_visibility in ('public','unlisted','private')),
  mastodon_language text not null default 'fi' check (mastodon_language in ('fi','sv','en')),
  mastodon_kinds text[] not null default '{news,press_release,event}',
  -- news_topics slugs; empty = every topic.
  mastodon_topics text[] not null default '{}',
  webhook_enabled boolean not null default false,
  webhook_url text,
  webhook_secret_sealed text,
  webhook_kinds text[] not null default '{news,press_release,event}',
  updated_by uuid,
  updated_at timestamptz not null default now()
);

create table distribution_deliveries (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  item_id uuid not null,
  channel text not null check (channel in ('media_email','mastodon','webhook')),
  -- The address, instance URL or webhook URL at the time of delivery.
  target text not null,
  contact_id uuid,
  -- media_email: the embargoed copy or the copy at publication.
  phase text not null default 'published' check (phase in ('embargoed','published')),
  status text not null default 'pending' check (status in ('pending','sent','retrying','failed')),
  attempts int not null default 0,
  last_error text,
  external_id text,
  external_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  foreign key (tenant_id, item_id) references news_items(tenant_id, id) on delete cascade,
  unique (tenant_id, id)
);
-- One delivery per item and target: a contact who had the embargoed copy gets no second
-- one at publication, and a re-publication does not post twice.
create unique index distribution_deliveries_once on distribution_deliveries(item_id, channel, target);
create index distribution_deliveries_recent on distribution_deliveries(tenant_id, created_at desc);
