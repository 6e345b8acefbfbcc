CREATE TABLE `group_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`inviter_uid` text NOT NULL,
	`invitee_uid` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`handled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_invitations_one_pending_uq` ON `group_invitations` (`group_id`,`inviter_uid`,`invitee_uid`) WHERE status = 1;--> statement-breakpoint
CREATE INDEX `group_invitations_invitee_idx` ON `group_invitations` (`invitee_uid`,`status`,`created_at`);