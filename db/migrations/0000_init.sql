CREATE TABLE "contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"wa_id" text,
	"user_id" text,
	"username" text,
	"profile_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" serial PRIMARY KEY NOT NULL,
	"phone_number_id" text NOT NULL,
	"display_phone_number" text,
	"contact_id" integer NOT NULL,
	"channel_id" text NOT NULL,
	"thread_ts" text,
	"state" text DEFAULT 'unassigned' NOT NULL,
	"owner_id" text,
	"assigned_reason" text,
	"previous_conversation_id" integer,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"last_inbound_at" timestamp with time zone,
	"last_outbound_at" timestamp with time zone,
	"awaiting_reply_since" timestamp with time zone,
	"owner_reminded_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"card_version" integer DEFAULT 1 NOT NULL,
	"card_rendered_version" integer DEFAULT 0 NOT NULL,
	"card_rendered_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_statuses" (
	"wa_message_id" text NOT NULL,
	"status" text NOT NULL,
	"status_at" timestamp with time zone,
	"callback_data" text,
	"payload" jsonb NOT NULL,
	"applied" integer DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" integer NOT NULL,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"wa_message_id" text,
	"wa_timestamp" timestamp with time zone,
	"body" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content" jsonb,
	"context_wa_message_id" text,
	"slack_ts" text,
	"slack_channel_id" text,
	"slack_user_id" text,
	"part" integer DEFAULT 0 NOT NULL,
	"slack_state" text,
	"wa_state" text,
	"hold_reason" text,
	"wa_status_at" timestamp with time zone,
	"error_code" integer,
	"error_title" text,
	"error_detail" text,
	"status_shown" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" integer NOT NULL,
	"kind" text NOT NULL,
	"message_id" bigint,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"result_ts" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"id" serial PRIMARY KEY NOT NULL,
	"conversation_id" integer NOT NULL,
	"author_id" text NOT NULL,
	"body" text NOT NULL,
	"slack_ts" text,
	"source" text DEFAULT 'thread' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" integer,
	"type" text NOT NULL,
	"actor_id" text NOT NULL,
	"target_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"field" text NOT NULL,
	"reason" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"body" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"slack_user_id" text PRIMARY KEY NOT NULL,
	"role" text DEFAULT 'agent' NOT NULL,
	"display_name" text,
	"on_shift_since" timestamp with time zone,
	"last_assigned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_settings" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"routing_mode" text DEFAULT 'manual' NOT NULL,
	"owner_reminder_minutes" integer,
	"owner_release_minutes" integer,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"day" date PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"posted_at" timestamp with time zone,
	"posted_ts" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_moves" (
	"id" serial PRIMARY KEY NOT NULL,
	"conversation_id" integer NOT NULL,
	"from_channel_id" text NOT NULL,
	"from_thread_ts" text,
	"to_channel_id" text NOT NULL,
	"moved_by" text NOT NULL,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD CONSTRAINT "slack_outbox_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_moves" ADD CONSTRAINT "conversation_moves_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_wa_id_unique" ON "contacts" USING btree ("wa_id") WHERE "contacts"."wa_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_user_id_unique" ON "contacts" USING btree ("user_id") WHERE "contacts"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_open_per_customer" ON "conversations" USING btree ("phone_number_id","contact_id") WHERE "conversations"."state" <> 'closed';--> statement-breakpoint
CREATE INDEX "conversations_thread" ON "conversations" USING btree ("channel_id","thread_ts");--> statement-breakpoint
CREATE INDEX "conversations_contact" ON "conversations" USING btree ("contact_id","opened_at");--> statement-breakpoint
CREATE INDEX "conversations_state_owner" ON "conversations" USING btree ("state","owner_id");--> statement-breakpoint
CREATE INDEX "conversations_awaiting" ON "conversations" USING btree ("awaiting_reply_since") WHERE "conversations"."state" <> 'closed';--> statement-breakpoint
CREATE INDEX "conversations_channel_state" ON "conversations" USING btree ("channel_id","state","opened_at");--> statement-breakpoint
CREATE INDEX "conversations_closed_at" ON "conversations" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "conversations_opened_at" ON "conversations" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "conversations_first_response_at" ON "conversations" USING btree ("first_response_at");--> statement-breakpoint
CREATE INDEX "conversations_open_window" ON "conversations" USING btree ("last_inbound_at") WHERE "conversations"."state" <> 'closed';--> statement-breakpoint
CREATE INDEX "conversations_queue" ON "conversations" USING btree ("state",coalesce("awaiting_reply_since", "last_outbound_at", "opened_at"),"id") WHERE "conversations"."state" <> 'closed';--> statement-breakpoint
CREATE INDEX "conversations_owner_queue" ON "conversations" USING btree ("owner_id","state",coalesce("awaiting_reply_since", "last_outbound_at", "opened_at"),"id") WHERE "conversations"."state" <> 'closed';--> statement-breakpoint
CREATE UNIQUE INDEX "message_statuses_pk" ON "message_statuses" USING btree ("wa_message_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_wa_message_id_unique" ON "messages" USING btree ("wa_message_id");--> statement-breakpoint
CREATE INDEX "messages_conversation" ON "messages" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE INDEX "messages_slack_ts" ON "messages" USING btree ("slack_ts");--> statement-breakpoint
CREATE INDEX "messages_context" ON "messages" USING btree ("context_wa_message_id") WHERE "messages"."context_wa_message_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_inbound_sent_at" ON "messages" USING btree ("wa_timestamp") WHERE "messages"."direction" = 'inbound';--> statement-breakpoint
CREATE INDEX "messages_wa_queue" ON "messages" USING btree ("conversation_id","id") WHERE "messages"."wa_state" in ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "slack_outbox_open" ON "slack_outbox" USING btree ("conversation_id","id") WHERE "slack_outbox"."state" in ('pending', 'in_flight');--> statement-breakpoint
CREATE INDEX "slack_outbox_open_age" ON "slack_outbox" USING btree ("created_at") WHERE "slack_outbox"."state" in ('pending', 'in_flight');--> statement-breakpoint
CREATE UNIQUE INDEX "notes_slack_ts_unique" ON "notes" USING btree ("conversation_id","slack_ts");--> statement-breakpoint
CREATE INDEX "notes_conversation" ON "notes" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_conversation" ON "audit_events" USING btree ("conversation_id","at");--> statement-breakpoint
CREATE INDEX "audit_type_at" ON "audit_events" USING btree ("type","at");--> statement-breakpoint
CREATE INDEX "webhook_inbox_pending" ON "webhook_inbox" USING btree ("id") WHERE "webhook_inbox"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "conversation_moves_old_thread" ON "conversation_moves" USING btree ("from_channel_id","from_thread_ts");--> statement-breakpoint
CREATE INDEX "conversation_moves_conversation" ON "conversation_moves" USING btree ("conversation_id","moved_at");