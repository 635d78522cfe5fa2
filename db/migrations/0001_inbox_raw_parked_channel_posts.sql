ALTER TABLE "slack_outbox" ALTER COLUMN "conversation_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "channel_id" text;--> statement-breakpoint
-- Stored webhooks keep their bytes (bytea) instead of decoded text: existing rows are converted, nothing is lost.
ALTER TABLE "webhook_inbox" ADD COLUMN "raw" "bytea";--> statement-breakpoint
UPDATE "webhook_inbox" SET "raw" = convert_to("body", 'UTF8');--> statement-breakpoint
ALTER TABLE "webhook_inbox" ALTER COLUMN "raw" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "not_before" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "keep" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "parked_at" timestamp with time zone;--> statement-breakpoint
-- Rows the old processor gave up on ("failed") are parked: visible, counted, and retryable.
UPDATE "webhook_inbox" SET "state" = 'parked', "parked_at" = coalesce("processed_at", now()), "keep" = 1 WHERE "state" = 'failed';--> statement-breakpoint
CREATE INDEX "slack_outbox_channel_open" ON "slack_outbox" USING btree ("id") WHERE "slack_outbox"."conversation_id" is null and "slack_outbox"."state" in ('pending', 'in_flight');--> statement-breakpoint
CREATE INDEX "webhook_inbox_parked" ON "webhook_inbox" USING btree ("id") WHERE "webhook_inbox"."state" = 'parked';--> statement-breakpoint
ALTER TABLE "webhook_inbox" DROP COLUMN "body";
