import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { platformSettings } from "@/db/schema";

export interface PlatformSettingsDto {
  serviceName: string;
  apiEndpoint: string | null;
  maxValidityDays: number;
  allowedAudiences: string[];
  adminsMayDesignateSpoc: boolean;
  spocsMaySetJwksUri: boolean;
  spocsMaySetLegacyAudience: boolean;
}

const DEFAULTS: PlatformSettingsDto = {
  serviceName: "Rotor",
  apiEndpoint: null,
  maxValidityDays: 365,
  allowedAudiences: [],
  adminsMayDesignateSpoc: false,
  spocsMaySetJwksUri: true,
  spocsMaySetLegacyAudience: false,
};

/** The platform's settings; a fresh deployment without the row gets the defaults. */
export async function getPlatformSettings(db: Executor): Promise<PlatformSettingsDto> {
  const [row] = await db
    .select({
      serviceName: platformSettings.serviceName,
      apiEndpoint: platformSettings.apiEndpoint,
      maxValidityDays: platformSettings.maxValidityDays,
      allowedAudiences: platformSettings.allowedAudiences,
      adminsMayDesignateSpoc: platformSettings.adminsMayDesignateSpoc,
      spocsMaySetJwksUri: platformSettings.spocsMaySetJwksUri,
      spocsMaySetLegacyAudience: platformSettings.spocsMaySetLegacyAudience,
    })
    .from(platformSettings)
    .where(eq(platformSettings.id, 1))
    .limit(1);
  return row ?? DEFAULTS;
}

export async function savePlatformSettings(db: Executor, settings: PlatformSettingsDto, at: Date): Promise<void> {
  const values = { ...settings, updatedAt: at };
  await db
    .insert(platformSettings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: platformSettings.id, set: values });
}

/** The settings of a deployment that has none yet; existing ones are kept. */
export async function initPlatformSettings(db: Executor, settings: PlatformSettingsDto, at: Date): Promise<void> {
  await db
    .insert(platformSettings)
    .values({ id: 1, ...settings, updatedAt: at })
    .onConflictDoNothing();
}
