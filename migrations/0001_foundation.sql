-- Foundation: tenants, org units, staff, residents, sessions, tokens, audit, outbox.
-- Every table carries tenant_id; every query in src/ filters by it.

create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9-]{2,40}$'),
  names jsonb not null,
  languages text[] not null check (array_length(languages, 1) >= 1 and languages <@ array['fi','sv','en']),
  default_language text not null check (default_language in ('fi','sv','en')),
  theme jsonb not null default '{}'::jsonb,
  contact jsonb not null default '{}'::jsonb,
  accessibility_statement jsonb not null default '{}'::jsonb,
  privacy_notice jsonb not null default '{}'::jsonb,
  oidc jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- tenant_id on the tenant row itself keeps the "every table has tenant_id" rule uniform.
  tenant_id uuid generated always as (id) stored
);

create table tenant_hosts (
  hostname text primary key,
  tenant_id uuid not null references tenants(id) on delete cascade
);
create index tenant_hosts_tenant on tenant_hosts(tenant_id);

create table org_units (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  parent_id uuid references org_units(id) on delete restrict,
  kind text not null check (kind in ('department','service_point','daycare','other')),
  names jsonb not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, id)
);
create index org_units_tenant on org_units(tenant_id, parent_id);

create table staff_users (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  email text not null,
  name text not null,
  password_hash text,
  totp_secret text,
  totp_enabled boolean not null default false,
  oidc_subject text,
  preferred_language text check (preferred_language in ('fi','sv','en')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz,
  unique (tenant_id, email),
  unique (tenant_id, oidc_subject),
  unique (tenant_id, id)
);

create table role_grants (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  user_id uuid not null,
  role text not null check (role in ('tenant_admin','communications','customer_service','unit_staff','moderator')),
  org_unit_id uuid,
  created_at timestamptz not null default now(),
  foreign key (tenant_id, user_id) references staff_users(tenant_id, id) on delete cascade,
  foreign key (tenant_id, org_unit_id) references org_units(tenant_id, id) on delete cascade
);
create unique index role_grants_unique on role_grants(tenant_id, user_id, role, coalesce(org_unit_id, '00000000-0000-0000-0000-000000000000'::uuid));

create table residents (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- strong = Suomi.fi (national identity code), weak = verified e-mail address only
  assurance text not null check (assurance in ('strong','weak')),
  national_id text,
  given_name text,
  family_name text,
  email text,
  preferred_language text check (preferred_language in ('fi','sv','en')),
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz,
  unique (tenant_id, national_id),
  unique (tenant_id, id)
);
create unique index residents_weak_email on residents(tenant_id, lower(email)) where assurance = 'weak';

create table sessions (
  id text primary key, -- sha256 of the cookie token; the token itself is never stored
  tenant_id uuid not null references tenants(id) on delete cascade,
  staff_user_id uuid,
  resident_id uuid,
  -- a staff session that passed the password but still owes its TOTP code
  pending_second_factor boolean not null default false,
  auth_method text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  foreign key (tenant_id, staff_user_id) references staff_users(tenant_id, id) on delete cascade,
  foreign key (tenant_id, resident_id) references residents(tenant_id, id) on delete cascade,
  check ((staff_user_id is null) <> (resident_id is null))
);
create index sessions_expiry on sessions(expires_at);

create table auth_throttle (
  tenant_id uuid not null references tenants(id) on delete cascade,
  key text not null,
  failures int not null default 0,
  window_started_at timestamptz not null default now(),
  locked_until timestamptz,
  primary key (tenant_id, key)
);

create table one_time_tokens (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  purpose text not null check (purpose in ('password_reset','email_code','oidc_state','saml_request')),
  token_hash text not null,
  subject text not null, -- staff user id, e-mail address, or state key
  data jsonb not null default '{}'::jsonb,
  attempts int not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index one_time_tokens_lookup on one_time_tokens(tenant_id, purpose, subject);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  name text not null,
  prefix text not null, -- first characters, shown to admins to tell tokens apart
  token_hash text not null unique,
  scopes text[] not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_tenant on api_tokens(tenant_id);

create table audit_log (
  id bigserial primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('staff','resident','api_token','system','anonymous')),
  actor_id text,
  actor_label text,
  action text not null,
  target_kind text,
  target_id text,
  reason text,
  details jsonb not null default '{}'::jsonb,
  ip text
);
create index audit_log_search on audit_log(tenant_id, at desc);

-- Append-only: the audit log refuses UPDATE and DELETE for every role of the application.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();

create table outbox_messages (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  channel text not null check (channel in ('email','push','sms','social')),
  recipient text not null,
  subject text,
  body_text text,
  body_html text,
  headers jsonb not null default '{}'::jsonb,
  status text not null check (status in ('captured','sent','failed')),
  error text,
  created_at timestamptz not null default now()
);
create index outbox_messages_tenant on outbox_messages(tenant_id, created_at desc);
