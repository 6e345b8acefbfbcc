/** API views of group rows (CONTRACT §4). */
import type { GroupMemberWithProfileRow } from "../db/group-members.ts";
import type { GroupRequestRow } from "../db/group-requests.ts";
import type { GroupRow } from "../db/groups.ts";
import type { Group, GroupMember, GroupRequest } from "./group-schemas.ts";

export function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    name: row.name,
    icon: row.icon,
    status: row.status,
    creatorUid: row.creatorUid,
    groupType: row.groupType,
    isVerify: row.isVerify,
    notification: row.notification,
    notificationUid: row.notificationUid,
    memberCount: row.memberCount,
    createdAt: row.createdAt,
  };
}

export function toGroupMember(row: GroupMemberWithProfileRow): GroupMember {
  return {
    id: row.id,
    groupId: row.groupId,
    userId: row.userId,
    nickname: row.nickname,
    avatar: row.avatar,
    roleLevel: row.roleLevel,
    joinTime: row.joinTime,
    joinSource: row.joinSource,
    inviterUid: row.inviterUid,
    operatorUid: row.operatorUid,
  };
}

export function toGroupRequest(row: GroupRequestRow): GroupRequest {
  return {
    id: row.id,
    groupId: row.groupId,
    reqId: row.reqId,
    reqMsg: row.reqMsg,
    reqTime: row.reqTime,
    joinSource: row.joinSource,
    inviterUid: row.inviterUid,
    handleUid: row.handleUid,
    handleTime: row.handleTime,
    handleResult: row.handleResult,
  };
}
