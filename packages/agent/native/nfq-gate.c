/*
 * nfq-gate: the live half of the agent's steal rules.
 *
 * The agent's mangle rules send the first packet (SYN) of each connection to a stolen port to
 * an NFQUEUE with --queue-bypass; this program, bound to that queue, hands each packet back
 * with a mark bit set (NF_REPEAT, so the mangle table runs again and the rest of it still
 * applies), and the agent's nat rules REDIRECT only marked packets. When this program is gone
 * (the agent was SIGKILLed, OOM-killed, its container deleted) the queue has no listener, the
 * kernel lets packets bypass it unmarked, and they reach the app: stale rules of a dead agent
 * never blackhole the pod's port, even before the next agent sweeps them.
 *
 * Usage: nfq-gate <first-queue-number> <mark-bit>
 * Binds the first free queue from <first-queue-number> on (up to 256 tries), prints
 * "queue <n>\n" on stdout and serves until its parent (the agent worker) exits.
 * Raw netlink with the kernel's uapi headers only, so the agent image needs no library.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER_SIZE 65536

static int sock;
static uint32_t seq;

static void die(const char *what) {
  fprintf(stderr, "nfq-gate: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* Appends one attribute to a message being built in `buf`. */
static void put_attr(struct nlmsghdr *msg, uint16_t type, const void *data, uint16_t len) {
  struct nlattr *attr = (struct nlattr *)((char *)msg + NLMSG_ALIGN(msg->nlmsg_len));
  attr->nla_type = type;
  attr->nla_len = NLA_HDRLEN + len;
  memcpy((char *)attr + NLA_HDRLEN, data, len);
  msg->nlmsg_len = NLMSG_ALIGN(msg->nlmsg_len) + NLA_ALIGN(attr->nla_len);
}

static struct nlmsghdr *start_msg(char *buf, uint8_t type, uint16_t flags, uint16_t queue) {
  struct nlmsghdr *msg = (struct nlmsghdr *)buf;
  memset(buf, 0, NLMSG_SPACE(sizeof(struct nfgenmsg)));
  msg->nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
  msg->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
  msg->nlmsg_flags = NLM_F_REQUEST | flags;
  msg->nlmsg_seq = ++seq;
  struct nfgenmsg *gen = NLMSG_DATA(msg);
  gen->nfgen_family = AF_UNSPEC;
  gen->version = NFNETLINK_V0;
  gen->res_id = htons(queue);
  return msg;
}

static void send_msg(struct nlmsghdr *msg) {
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(sock, msg, msg->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) die("sending to the kernel");
}

/* Sends a config request and returns the kernel's answer (0 or a negative errno). */
static int send_config(struct nlmsghdr *msg) {
  send_msg(msg);
  char reply[4096];
  for (;;) {
    ssize_t n = recv(sock, reply, sizeof reply, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("reading the kernel's answer");
    }
    for (struct nlmsghdr *r = (struct nlmsghdr *)reply; NLMSG_OK(r, (size_t)n); r = NLMSG_NEXT(r, n)) {
      if (r->nlmsg_type == NLMSG_ERROR && r->nlmsg_seq == seq) return ((struct nlmsgerr *)NLMSG_DATA(r))->error;
    }
  }
}

static int configure(uint16_t queue, uint16_t attr_type, const void *attr_data, uint16_t attr_len) {
  char buf[256];
  struct nlmsghdr *msg = start_msg(buf, NFQNL_MSG_CONFIG, NLM_F_ACK, queue);
  put_attr(msg, attr_type, attr_data, attr_len);
  return send_config(msg);
}

static int bind_queue(uint16_t queue) {
  struct nfqnl_msg_config_cmd cmd = {.command = NFQNL_CFG_CMD_BIND, .pf = htons(AF_INET)};
  return configure(queue, NFQA_CFG_CMD, &cmd, sizeof cmd);
}

/* Accept unmarked when the queue is full (fail open); flags and mask go in one message. */
static int make_fail_open(uint16_t queue) {
  char buf[256];
  struct nlmsghdr *msg = start_msg(buf, NFQNL_MSG_CONFIG, NLM_F_ACK, queue);
  uint32_t flag = htonl(NFQA_CFG_F_FAIL_OPEN);
  put_attr(msg, NFQA_CFG_FLAGS, &flag, sizeof flag);
  put_attr(msg, NFQA_CFG_MASK, &flag, sizeof flag);
  return send_config(msg);
}

static void verdict(uint16_t queue, uint32_t packet_id, uint32_t mark) {
  char buf[128];
  struct nlmsghdr *msg = start_msg(buf, NFQNL_MSG_VERDICT, 0, queue);
  struct nfqnl_msg_verdict_hdr hdr = {.verdict = htonl(NF_REPEAT), .id = htonl(packet_id)};
  put_attr(msg, NFQA_VERDICT_HDR, &hdr, sizeof hdr);
  uint32_t be_mark = htonl(mark);
  put_attr(msg, NFQA_MARK, &be_mark, sizeof be_mark);
  send_msg(msg);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: nfq-gate <first-queue-number> <mark-bit>\n");
    return 2;
  }
  /* Die with the worker, however it dies: that is what makes the rules fail open. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl");
  if (getppid() == 1) return 1;
  long first = strtol(argv[1], NULL, 0);
  uint32_t mark_bit = (uint32_t)strtoul(argv[2], NULL, 0);
  if (first < 0 || first > 65535 || mark_bit == 0) {
    fprintf(stderr, "nfq-gate: bad queue number or mark\n");
    return 2;
  }

  sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (sock < 0) die("opening a netfilter netlink socket");
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(sock, (struct sockaddr *)&local, sizeof local) < 0) die("binding the netlink socket");

  int queue = -1;
  for (long q = first; q < first + 256 && q <= 65535; q++) {
    int error = bind_queue((uint16_t)q);
    if (error == 0) {
      queue = (int)q;
      break;
    }
    if (error != -EBUSY && error != -EEXIST) {
      errno = -error;
      die("binding a netfilter queue");
    }
  }
  if (queue < 0) {
    fprintf(stderr, "nfq-gate: no free queue from %ld on\n", first);
    return 1;
  }
  /* Metadata only: the verdict needs no payload. */
  struct nfqnl_msg_config_params params = {.copy_range = htonl(0), .copy_mode = NFQNL_COPY_META};
  int error = configure((uint16_t)queue, NFQA_CFG_PARAMS, &params, sizeof params);
  if (error != 0) {
    errno = -error;
    die("configuring the queue");
  }
  error = make_fail_open((uint16_t)queue);
  if (error != 0) {
    errno = -error;
    die("making the queue fail open");
  }
  int size = 1 << 20;
  setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  printf("queue %d\n", queue);
  fflush(stdout);

  static char buf[BUFFER_SIZE];
  for (;;) {
    ssize_t n = recv(sock, buf, sizeof buf, 0);
    if (n < 0) {
      /* ENOBUFS: the kernel dropped notifications; those SYNs are retransmitted. */
      if (errno == EINTR || errno == ENOBUFS) continue;
      die("reading packets");
    }
    for (struct nlmsghdr *msg = (struct nlmsghdr *)buf; NLMSG_OK(msg, (size_t)n); msg = NLMSG_NEXT(msg, n)) {
      if ((msg->nlmsg_type & 0xff) != NFQNL_MSG_PACKET || (msg->nlmsg_type >> 8) != NFNL_SUBSYS_QUEUE) continue;
      uint32_t packet_id = 0, mark = 0;
      int have_id = 0;
      struct nfgenmsg *gen = NLMSG_DATA(msg);
      struct nlattr *attr = (struct nlattr *)((char *)gen + NLMSG_ALIGN(sizeof *gen));
      int left = (int)msg->nlmsg_len - (int)((char *)attr - (char *)msg);
      while (left >= (int)NLA_HDRLEN && attr->nla_len >= NLA_HDRLEN && attr->nla_len <= left) {
        void *data = (char *)attr + NLA_HDRLEN;
        switch (attr->nla_type & NLA_TYPE_MASK) {
          case NFQA_PACKET_HDR:
            packet_id = ntohl(((struct nfqnl_msg_packet_hdr *)data)->packet_id);
            have_id = 1;
            break;
          case NFQA_MARK:
            mark = ntohl(*(uint32_t *)data);
            break;
        }
        left -= NLA_ALIGN(attr->nla_len);
        attr = (struct nlattr *)((char *)attr + NLA_ALIGN(attr->nla_len));
      }
      if (have_id) verdict(ntohs(gen->res_id), packet_id, mark | mark_bit);
    }
  }
}
