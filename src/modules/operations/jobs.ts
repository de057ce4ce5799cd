import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { FailedJob, JobQueue } from '../../platform/jobs.ts';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The staff view of the job queue: this tenant's jobs that failed for good or are
 * waiting for their next attempt, and a retry for the failed ones (an admin action,
 * audited in the transaction that puts the job back in line).
 */
export class JobAdminService {
  constructor(
    private db: Db,
    private jobs: JobQueue,
    private audit: AuditService,
  ) {}

  failing(tenantId: string, limit = 100): Promise<FailedJob[]> {
    return this.jobs.failed(tenantId, limit);
  }

  /** 404 for an unknown job, another tenant's job, or one that is not in the failed state. */
  async retry(tenantId: string, actor: Actor, jobId: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(jobId)) throw new AppError('not_found', 404);
    await this.db.transaction(async (tx) => {
      const r = await tx.query<{ name: string }>(
        `select name from pgboss.job where id::text = $1 and data->>'tenantId' = $2 and state = 'failed'`,
        [jobId, tenantId],
      );
      if (!r.rows[0] || !(await this.jobs.retry(tenantId, jobId, tx))) throw new AppError('not_found', 404);
      await this.audit.record(tx, tenantId, actor, {
        action: 'admin.job_retried',
        targetKind: 'job',
        targetId: jobId,
        details: { job: r.rows[0].name.replace(/^aukio\./, '') },
      });
    });
  }
}
