-- Staff authentication: TOTP replay protection.
-- The last accepted TOTP time step per user; a code of that step or an earlier one is refused,
-- so a code seen over someone's shoulder cannot be used a second time within its 30 s window.
alter table staff_users add column totp_last_step bigint;
