import { CaptureEmailAdapter } from '../adapters/email/capture.ts';
import { attachmentBytes, EMAIL_ATTACHMENTS_MAX_BYTES, type EmailAdapter, type EmailMessage } from '../adapters/email/email.ts';
import { SmtpEmailAdapter } from '../adapters/email/smtp.ts';
import { AuditService } from '../modules/audit/audit.ts';
import { ApiTokenService } from '../modules/identity/api-tokens.ts';
import { JobAdminService } from '../modules/operations/jobs.ts';
import { OutboxService } from '../modules/operations/outbox.ts';
import { TENANCY_CHANNEL, TenantSettingsService } from '../modules/tenancy/settings.ts';
import { SessionService } from '../modules/identity/sessions.ts';
import { StaffAuthService } from '../modules/identity/staff-auth.ts';
import { StaffUserService } from '../modules/identity/staff-users.ts';
import { OrgUnitService } from '../modules/tenancy/org-units.ts';
import { ResidentService } from '../modules/identity/residents.ts';
import { DevIdentityAdapter } from '../adapters/identity/dev.ts';
import { SamlIdentityAdapter } from '../adapters/identity/saml.ts';
import { TenancyService } from '../modules/tenancy/tenants.ts';
import { SearchIndex } from '../modules/routing/search-index.ts';
import { RoutingService } from '../modules/routing/routing.ts';
import { ContentVersions } from '../modules/catalog/content-version.ts';
import { CatalogEditService } from '../modules/catalog/edit.ts';
import { ContentPageService } from '../modules/catalog/pages.ts';
import { SynonymService } from '../modules/routing/synonyms.ts';
import { CatalogReader } from '../modules/catalog/read.ts';
import { FeedbackCategoryService } from '../modules/feedback/categories.ts';
import { FeedbackCaseService } from '../modules/feedback/cases.ts';
import { FeedbackPublicationService } from '../modules/feedback/publication.ts';
import { FeedbackDuplicateService } from '../modules/feedback/duplicates.ts';
import { FeedbackExportService } from '../modules/feedback/export.ts';
import { PlaceService } from '../modules/feedback/places.ts';
import { ConversationService } from '../modules/inbox/conversations.ts';
import { EmailChannel } from '../modules/inbox/email-channel.ts';
import { InboundMail } from '../modules/inbox/email-inbound.ts';
import { AppError } from '../platform/errors.ts';
import { FaqService } from '../modules/inbox/faq.ts';
import { ChatBot } from '../modules/inbox/bot.ts';
import { InboxTeamService } from '../modules/inbox/teams.ts';
import { InboxReportService } from '../modules/inbox/reports.ts';
import { InboxLinkingService } from '../modules/inbox/linking.ts';
import { AgentPresenceService } from '../modules/inbox/agents.ts';
import { AgentInboxService } from '../modules/inbox/inbox.ts';
import { CannedResponseService } from '../modules/inbox/canned.ts';
import { TimelineService } from '../modules/inbox/timeline.ts';
import { FeedbackInboxItems } from '../modules/feedback/inbox-items.ts';
import { ChatService } from '../modules/inbox/chat.ts';
import { NewsroomService } from '../modules/newsroom/items.ts';
import { IntranetService } from '../modules/newsroom/intranet.ts';
import { MediaListService } from '../modules/distribution/contacts.ts';
import { DistributionService } from '../modules/distribution/distribution.ts';
import { SignageService } from '../modules/signage/signage.ts';
import { PressContactService } from '../modules/newsroom/press-contacts.ts';
import { SubscriptionService } from '../modules/newsletters/subscriptions.ts';
import { NewsletterService } from '../modules/newsletters/campaigns.ts';
import { bounceHandler } from '../modules/newsletters/bounces.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import { openDb, type Db, type Queryable } from '../platform/db.ts';
import { EventBus } from '../platform/events.ts';
import { JobQueue } from '../platform/jobs.ts';
import type { Logger } from '../platform/log.ts';
import { migrate } from '../platform/migrate.ts';

/**
 * The composition root's object graph. Route handlers and React Router loaders reach
 * every module through this (passed as load context), never by importing modules, so
 * the server and the web bundle share one instance of each service.
 */
export interface Services {
  config: Config;
  log: Logger;
  db: Db;
  tenancy: TenancyService;
  audit: AuditService;
  sessions: SessionService;
  jobs: JobQueue;
  events: EventBus;
  email: EmailAdapter;
  mail: Mailer;
  staffAuth: StaffAuthService;
  orgUnits: OrgUnitService;
  staffUsers: StaffUserService;
  residents: ResidentService;
  /** Residents' strong identification; null when not configured or switched off. */
  identity: { suomifi: SamlIdentityAdapter | null; dev: DevIdentityAdapter | null };
  apiTokens: ApiTokenService;
  tenantSettings: TenantSettingsService;
  jobAdmin: JobAdminService;
  outbox: OutboxService;
  /** The routing index's write side; catalog write paths call it in their transaction. */
  searchIndex: SearchIndex;
  /** Per-tenant version of public content; bump it in the transaction of every resident-visible change. */
  contentVersions: ContentVersions;
  /** Staff editing of services and channels (src/modules/catalog/edit.ts). */
  catalogEdit: CatalogEditService;
  /** Content pages: drafts, publish, history. */
  contentPages: ContentPageService;
  /** Synonyms and promoted answers (the routing engine reads the tables). */
  synonyms: SynonymService;
  /** Residents' read side of the catalog: published services, units, topics, content pages. */
  catalogReader: CatalogReader;
  /** The routing engine ("What do you need?"): ranked services, units and pages for a resident's words. */
  routing: RoutingService;
  /** Feedback categories (Open311 services): resident list, admin editing, routing suggestion. */
  feedbackCategories: FeedbackCategoryService;
  /** Feedback cases: submission (web, API, Open311), staff handling, resident follow-up, public feed. */
  feedback: FeedbackCaseService;
  /** Public answers of cases: proposal, moderation, publish, unpublish. */
  feedbackPublication: FeedbackPublicationService;
  /** Possible duplicates of a case (50 m, same category, 30 days) and merging. */
  feedbackDuplicates: FeedbackDuplicateService;
  /** CSV export of a staff queue (audited). */
  feedbackExport: FeedbackExportService;
  /** The address register: the feedback form's address search, geocoding and nearest address. */
  places: PlaceService;
  /** Inbox: the conversation core shared by chat, e-mail and the agent inbox (numbered messages, hand-off, assignment). */
  conversations: ConversationService;
  /** Inbox e-mail channel: inbound mail into conversations, agents' replies out with threading headers. */
  emailChannel: EmailChannel;
  /** Inbound mail transports (SMTP listener, IMAP poller); started by main.ts, `port` is the listener's. */
  inboundMail: InboundMail;
  /** The bot's curated question/answer pairs (editing, matching a resident's text). */
  faq: FaqService;
  /** The chat bot: answers bot-stage chats from the FAQ and the catalog, hands off to a person. */
  chatBot: ChatBot;
  /** Inbox team administration: hours, SLA targets, inbound address, default team, members and capacity. */
  inboxTeams: InboxTeamService;
  /** Inbox reports: volume, response and resolution times, SLA breaches, CSAT, containment, busiest hours; CSV. */
  inboxReports: InboxReportService;
  /** A resident's conversations follow them at sign-in (verified e-mail, chat token); My conversations. */
  inboxLinking: InboxLinkingService;
  /** Feedback cases as the agent inbox and the resident timeline see them (feedback's own access rules). */
  feedbackInboxItems: FeedbackInboxItems;
  /** Agents' presence and the round-robin queue drain. */
  agentPresence: AgentPresenceService;
  /** The agent inbox: the list, a conversation's view and the agent's commands (authorized, audited). */
  agentInbox: AgentInboxService;
  /** Canned responses: editing and rendering with variables. */
  canned: CannedResponseService;
  /** The resident timeline of the agent's side panel (audited). */
  timeline: TimelineService;
  /** Resident chat: availability, queue, attachments, transcript, rating, leave-a-message, settings. */
  chat: ChatService;
  /** The application's clock (a ManualClock in tests that move time): embargoes and scheduled publishing read it. */
  clock: Clock;
  /** Newsroom: news, press releases, event notices, intranet bulletins; workflow, embargo, scheduled publishing, publication hooks. */
  newsroom: NewsroomService;
  /** Staff intranet: bulletins targeted by org unit on the console home, must-read confirmations and their report. */
  intranet: IntranetService;
  /** The media distribution list: contacts by topic, the embargo list, journalists' double opt-in subscription. */
  mediaList: MediaListService;
  /** Distribution of publications: media e-mail (embargoed copies), Mastodon, signed webhook; deliveries with retries. */
  distribution: DistributionService;
  /** Info-TV signage: screens per org unit with secret URLs, playlists, urgent notices (src/modules/signage). */
  signage: SignageService;
  /** The press room's contact people (public list; newsroom editors keep it). */
  pressContacts: PressContactService;
  /** Residents' newsletter subscriptions: double opt-in, preferences, unsubscribe (src/modules/newsletters). */
  subscriptions: SubscriptionService;
  /** Newsletter campaigns, instant notifications and digests: sending, progress, bounces, reports, subscriber lists. */
  newsletters: NewsletterService;
}

/** Sends e-mail through the job queue so a send is retried and never lost with a crash. */
export class Mailer {
  constructor(
    private jobs: JobQueue,
    readonly adapter: EmailAdapter,
  ) {
    jobs.define<EmailMessage & { tenantId: string; [key: string]: unknown }>({
      name: 'email.send',
      priority: 'urgent',
      retryLimit: 8,
      handler: async (m) => {
        await adapter.send(m);
      },
    });
  }

  /** Enqueues the message in the caller's transaction. */
  async enqueue(tx: Queryable, m: EmailMessage) {
    // The message waits as a job's JSON payload: attachments are bounded.
    if (attachmentBytes(m) > EMAIL_ATTACHMENTS_MAX_BYTES) {
      throw new AppError('payload_too_large', 413, { fields: { attachments: 'too_large_for_email' }, maxBytes: EMAIL_ATTACHMENTS_MAX_BYTES });
    }
    await this.jobs.enqueue(tx, 'email.send', { ...m });
  }
}

export async function createServices(config: Config, log: Logger, opts: { db?: Db; clock?: Clock } = {}): Promise<Services> {
  const db = opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DB_POOL_MAX }));
  await migrate(db);
  const jobs = new JobQueue(db, log);
  const email: EmailAdapter =
    config.EMAIL_ADAPTER === 'smtp' ? new SmtpEmailAdapter(db, config.SMTP_URL!, config.EMAIL_FROM) : new CaptureEmailAdapter(db, config.EMAIL_FROM);
  const audit = new AuditService(db);
  const sessions = new SessionService(db, config.SESSION_TTL_MINUTES);
  const tenancy = new TenancyService(db, config.DEFAULT_TENANT);
  const events = new EventBus(db);
  const mail = new Mailer(jobs, email);
  const orgUnits = new OrgUnitService(db, audit);
  const searchIndex = new SearchIndex();
  const contentVersions = new ContentVersions(db, events);
  const catalogDeps = { db, audit, searchIndex, contentVersions };
  const services = {
    config,
    log,
    db,
    tenancy,
    audit,
    sessions,
    jobs,
    events,
    email,
    mail,
    identity: identityAdapters(config),
    orgUnits,
    staffUsers: new StaffUserService({ db, audit, sessions, mail, orgUnits, publicUrl: config.PUBLIC_URL }),
    residents: new ResidentService(db, audit, sessions, mail, log, config.SESSION_SECRET),
    apiTokens: new ApiTokenService(db, audit),
    tenantSettings: new TenantSettingsService(db, tenancy, audit, events),
    jobAdmin: new JobAdminService(db, jobs, audit),
    outbox: new OutboxService(db, audit),
    searchIndex,
    contentVersions,
    catalogEdit: new CatalogEditService(catalogDeps),
    contentPages: new ContentPageService(catalogDeps),
    synonyms: new SynonymService(db, audit),
    catalogReader: new CatalogReader(db),
    routing: new RoutingService(db),
  } as Omit<Services, 'staffAuth'> as Services;
  services.feedbackCategories = new FeedbackCategoryService(db, audit, services.routing);
  services.places = new PlaceService(db);
  services.feedback = new FeedbackCaseService({
    db,
    audit,
    mail,
    orgUnits,
    tenancy,
    contentVersions,
    categories: services.feedbackCategories,
    config: {
      limits: {
        perIpPerHour: config.FEEDBACK_RATE_PER_IP_HOUR,
        perEmailPerHour: config.FEEDBACK_RATE_PER_EMAIL_HOUR,
        maxLinks: config.FEEDBACK_MAX_LINKS,
      },
      maxAttachmentBytes: config.FEEDBACK_ATTACHMENT_MAX_BYTES,
      maxAttachments: config.FEEDBACK_MAX_ATTACHMENTS,
      publicUrl: config.PUBLIC_URL,
      sessionSecret: config.SESSION_SECRET,
    },
  });
  services.feedbackPublication = new FeedbackPublicationService({ db, cases: services.feedback, orgUnits, contentVersions });
  services.feedbackDuplicates = new FeedbackDuplicateService({ db, cases: services.feedback });
  services.feedbackExport = new FeedbackExportService({ db, audit, cases: services.feedback });
  services.conversations = new ConversationService({ db, audit, events, log });
  services.emailChannel = new EmailChannel({ db, log, conversations: services.conversations, mail, tenancy, config });
  services.conversations.registerOutbound('email', (tx, conversation, message) => services.emailChannel.sendReply(tx, conversation, message));
  services.inboundMail = new InboundMail(config, services.emailChannel, log);
  services.faq = new FaqService(db, audit);
  services.chatBot = new ChatBot({
    db,
    conversations: services.conversations,
    faq: services.faq,
    routing: services.routing,
    catalogReader: services.catalogReader,
    tenancy,
    log,
  });
  services.conversations.onResidentMessage((conversation, message) => services.chatBot.handle(conversation, message));
  services.inboxTeams = new InboxTeamService({ db, audit });
  services.inboxReports = new InboxReportService({ db, audit });
  services.inboxLinking = new InboxLinkingService({ db, audit, conversations: services.conversations, log });
  services.feedbackInboxItems = new FeedbackInboxItems(db, services.feedback);
  services.agentPresence = new AgentPresenceService(db, services.conversations);
  services.agentInbox = new AgentInboxService({
    db,
    audit,
    events,
    conversations: services.conversations,
    presence: services.agentPresence,
    feedbackItems: services.feedbackInboxItems,
    maxAttachmentBytes: config.FEEDBACK_ATTACHMENT_MAX_BYTES,
  });
  services.canned = new CannedResponseService(db, audit);
  services.timeline = new TimelineService({ db, audit, inbox: services.agentInbox, feedbackItems: services.feedbackInboxItems });
  services.chat = new ChatService({ db, audit, events, contentVersions, conversations: services.conversations, startsPerIp: config.CHAT_START_RATE_PER_IP });
  services.clock = opts.clock ?? systemClock;
  services.newsroom = new NewsroomService({
    db,
    audit,
    events,
    jobs,
    contentVersions,
    clock: services.clock,
    log,
    maxMediaBytes: config.NEWS_MEDIA_MAX_BYTES,
  });
  services.intranet = new IntranetService({ db, audit, newsroom: services.newsroom });
  services.mediaList = new MediaListService({ db, audit, mail, tenancy, publicUrl: config.PUBLIC_URL });
  services.distribution = new DistributionService({
    db,
    audit,
    jobs,
    clock: services.clock,
    log,
    email,
    tenancy,
    newsroom: services.newsroom,
    mediaList: services.mediaList,
    sessionSecret: config.SESSION_SECRET,
    publicUrl: config.PUBLIC_URL,
    allowPrivateOutbound: config.OUTBOUND_ALLOW_PRIVATE,
  });
  services.signage = new SignageService({
    db,
    audit,
    events,
    clock: services.clock,
    orgUnits,
    newsroom: services.newsroom,
    catalogReader: services.catalogReader,
    maxImageBytes: config.NEWS_MEDIA_MAX_BYTES,
  });
  services.pressContacts = new PressContactService({ db, audit, contentVersions });
  const newsletterDeps = {
    db,
    audit,
    tenancy,
    newsroom: services.newsroom,
    jobs,
    mail,
    email,
    clock: services.clock,
    log,
    config: {
      publicUrl: config.PUBLIC_URL,
      sessionSecret: config.SESSION_SECRET,
      emailFrom: config.EMAIL_FROM,
      emailAdapter: config.EMAIL_ADAPTER,
      smtpUrl: config.SMTP_URL,
      ratePerSecond: config.NEWSLETTER_RATE_PER_SECOND,
      smtpConnections: config.NEWSLETTER_SMTP_CONNECTIONS,
      subscribePerIpHour: config.NEWSLETTER_SUBSCRIBE_RATE_PER_IP_HOUR,
      subscribePerEmailHour: config.NEWSLETTER_SUBSCRIBE_RATE_PER_EMAIL_HOUR,
    },
  };
  services.subscriptions = new SubscriptionService(newsletterDeps);
  services.newsletters = new NewsletterService(newsletterDeps);
  services.inboundMail.addRecipientHandler(bounceHandler(services.subscriptions.linkTokens, services.newsletters, log));
  // Built last: it uses the services above.
  services.staffAuth = new StaffAuthService(services);
  // A settings change on any instance drops every instance's tenant cache.
  services.events.subscribe([TENANCY_CHANNEL], () => services.tenancy.invalidate());
  return services;
}

/** Suomi.fi when SAML_* is configured; the development IdP when DEV_IDP is on. */
function identityAdapters(config: Config): Services['identity'] {
  return {
    suomifi: config.SAML_IDP_ENTRY_POINT
      ? new SamlIdentityAdapter({
          idpEntryPoint: config.SAML_IDP_ENTRY_POINT,
          idpCert: config.SAML_IDP_CERT!,
          spEntityId: config.SAML_SP_ENTITY_ID!,
          spPrivateKey: config.SAML_SP_PRIVATE_KEY!,
          spCert: config.SAML_SP_CERT!,
          callbackPath: config.SAML_CALLBACK_PATH,
        })
      : null,
    dev: config.DEV_IDP ? new DevIdentityAdapter() : null,
  };
}
