CREATE TABLE "send_pacing" (
	"provider" text PRIMARY KEY NOT NULL,
	"last_slot_at" timestamp with time zone NOT NULL
);
