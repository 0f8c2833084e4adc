/** Permission bits and gateway intents used by the stand-in (values from the Discord docs). */
export const PERM = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
};

export const EVERYONE_PERMISSIONS =
  PERM.CreateInstantInvite |
  PERM.AddReactions |
  PERM.ViewChannel |
  PERM.SendMessages |
  PERM.EmbedLinks |
  PERM.AttachFiles |
  PERM.ReadMessageHistory |
  PERM.UseExternalEmojis |
  PERM.Connect |
  PERM.Speak |
  PERM.ChangeNickname |
  PERM.UseApplicationCommands |
  PERM.CreatePublicThreads |
  PERM.SendMessagesInThreads;

export const BOT_ROLE_PERMISSIONS =
  PERM.ViewChannel | PERM.SendMessages | PERM.EmbedLinks | PERM.AttachFiles | PERM.ReadMessageHistory;

export const INTENT = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
};
