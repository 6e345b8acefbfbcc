CREATE TABLE `friend_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`req_uid` text NOT NULL,
	`pair_key` text NOT NULL,
	`req_msg` text DEFAULT '' NOT NULL,
	`req_time` integer NOT NULL,
	`handle_result` integer DEFAULT 1 NOT NULL,
	`handle_msg` text DEFAULT '' NOT NULL,
	`handled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `friend_requests_one_pending_uq` ON `friend_requests` (`pair_key`) WHERE handle_result = 1;--> statement-breakpoint
CREATE INDEX `friend_requests_user_idx` ON `friend_requests` (`user_id`,`handle_result`);--> statement-breakpoint
CREATE INDEX `friend_requests_req_idx` ON `friend_requests` (`req_uid`,`handle_result`);--> statement-breakpoint
CREATE TABLE `friends` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`friend_uid` text NOT NULL,
	`remark` text DEFAULT '' NOT NULL,
	`add_source` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `friends_user_friend_uq` ON `friends` (`user_id`,`friend_uid`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role_level` integer NOT NULL,
	`join_time` integer NOT NULL,
	`join_source` integer NOT NULL,
	`inviter_uid` text DEFAULT '' NOT NULL,
	`operator_uid` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_members_group_user_uq` ON `group_members` (`group_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `group_members_user_idx` ON `group_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `group_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`req_id` text NOT NULL,
	`req_msg` text DEFAULT '' NOT NULL,
	`req_time` integer NOT NULL,
	`join_source` integer NOT NULL,
	`inviter_uid` text DEFAULT '' NOT NULL,
	`handle_uid` text DEFAULT '' NOT NULL,
	`handle_time` integer,
	`handle_result` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_requests_one_pending_uq` ON `group_requests` (`group_id`,`req_id`) WHERE handle_result = 1;--> statement-breakpoint
CREATE INDEX `group_requests_group_idx` ON `group_requests` (`group_id`,`handle_result`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`icon` text DEFAULT '' NOT NULL,
	`status` integer DEFAULT 0 NOT NULL,
	`creator_uid` text NOT NULL,
	`group_type` integer DEFAULT 0 NOT NULL,
	`is_verify` integer DEFAULT false NOT NULL,
	`notification` text DEFAULT '' NOT NULL,
	`notification_uid` text DEFAULT '' NOT NULL,
	`member_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`password_hash` text NOT NULL,
	`nickname` text NOT NULL,
	`nickname_folded` text NOT NULL,
	`avatar` text DEFAULT '' NOT NULL,
	`sex` integer DEFAULT 0 NOT NULL,
	`status` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_phone_unique` ON `users` (`phone`);