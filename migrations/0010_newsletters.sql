-- Newsletters: residents' subscriptions to newsroom topics (instant, daily or weekly),
-- campaigns composed by communications staff, and the per-recipient send log that makes a
-- send resumable without sending anyone the same campaign twice. Instant notifications
-- and digests are campaigns too (kind), so they share the sender and its guarantees.

create table newsletter_subscribers (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  email text not null,
  -- Lower-cased and trimmed: one subscription per address and tenant.
  email_norm text not null,
  language text not null check (language in ('fi','sv','en')),
  topics text[] not null default '{}',
  frequency text not null default 'instant' check (frequency in ('instant','daily','weekly')),
  status text not null default 'pending' check (status in ('pending','confirmed','unsubscribed')),
  -- Where the resident subscribed (e-mailed links point there unless PUBLIC_URL is set).
  origin text not null,
  -- The pending change a confirmation link applies (topics, frequency, language).
  pending_choice jsonb,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  -- The campaign whose mail the unsubscribe came from (the campaign report counts it).
  unsubscribed_campaign_id uuid,
  -- Digests: items published after this moment go into the next one.
  last_digest_at timestamptz,
  unique (tenant_id, email_norm),
  unique (tenant_id, id)
);
create index newsletter_subscribers_confirmed on newsletter_subscribers(tenant_id, frequency) where status = 'confirmed';
create index newsletter_subscribers_topics on newsletter_subscribers using gin (topics);

-- Addresses never mailed again by any campaign or notification (hard bounces, manual).
create table newsletter_suppressions (
  tenant_id uuid not null references tenants(id) on delete cascade,
  email_norm text not null,
  reason text not null check (reason in ('hard_bounce','manual')),
  detail text,
  campaign_id uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, email_norm)
);

create table newsletter_settings (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  -- Privacy by default: no tracking pixel unless the tenant turns this on.
  open_tracking boolean not null default false,
  updated_at timestamptz not null default now()
);

create table newsletter_campaigns (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  kind text not null default 'campaign' check (kind in ('campaign','notification','digest')),
  state text not null default 'draft' check (state in ('draft','sending','paused','done')),
  subjects jsonb not null default '{}'::jsonb,
  intros jsonb not null default '{}'::jsonb,
  item_ids uuid[] not null default '{}',
  -- Segment: empty = every confirmed subscriber; otherwise subscribers with any of these topics / in these languages.
  segment_topics text[] not null default '{}',
  segment_languages text[] not null default '{}',
  -- Messages per second for this campaign; null = NEWSLETTER_RATE_PER_SECOND; 0 = unthrottled.
  rate_per_second numeric,
  -- notification: the item it announces (one notification per item); digest: daily/weekly.
  source_item_id uuid,
  digest_frequency text,
  -- Open tracking as the tenant had it when the send started (the pixel is in the mail or not).
  open_tracking boolean not null default false,
  created_by uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- The last moment a sender made progress: a campaign in 'sending' that stays quiet is picked up again.
  last_activity_at timestamptz,
  unique (tenant_id, id)
);
create unique index newsletter_campaigns_notification on newsletter_campaigns(tenant_id, source_item_id) where kind = 'notification';
create index newsletter_campaigns_list on newsletter_campaigns(tenant_id, kind, created_at desc);
create index newsletter_campaigns_active on newsletter_campaigns(state) where state = 'sending';

-- One row per recipient of a campaign: the exactly-once ledger.
-- pending → sending (claimed by a sender, handed to SMTP) → sent | failed;
-- a row left in sending by a sender that died becomes 'unknown' (never sent again).
create table newsletter_recipients (
  campaign_id uuid not null references newsletter_campaigns(id) on delete cascade,
  subscriber_id uuid not null,
  tenant_id uuid not null,
  email text not null,
  language text not null,
  -- Digests: this recipient's items (else the campaign's).
  item_ids uuid[],
  state text not null default 'pending' check (state in ('pending','sending','sent','failed','unknown')),
  claimed_by text,
  claimed_at timestamptz,
  sent_at timestamptz,
  error text,
  bounce text check (bounce in ('hard','soft')),
  soft_bounces int not null default 0,
  opened_at timestamptz,
  primary key (campaign_id, subscriber_id),
  foreign key (tenant_id, subscriber_id) references newsletter_subscribers(tenant_id, id) on delete cascade
);
create index newsletter_recipients_pending on newsletter_recipients(campaign_id, subscriber_id) where state = 'pending';
create index newsletter_recipients_sending on newsletter_recipients(campaign_id) where state = 'sending';
create index newsletter_recipients_subscriber on newsletter_recipients(subscriber_id);

-- Sending processes' heartbeats: rows in 'sending' of a process not seen lately are orphans.
create table newsletter_sender_instances (
  instance_id text primary key,
  seen_at timestamptz not null default now()
);

-- Subscribe requests per IP and per address per hour (every instance sees the same counts).
create table newsletter_rate (
  tenant_id uuid not null references tenants(id) on delete cascade,
  key text not null,
  window_start timestamptz not null default now(),
  count int not null default 0,
  primary key (tenant_id, key)
);
