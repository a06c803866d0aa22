/**
 * The storage host: where the storage backends' commands (LVM, cryptsetup) run. {@link
 * io.elasticcloud.storage.host.HostCommands} is the one seam, an argv with stdin and a timeout;
 * {@link io.elasticcloud.storage.host.LocalCommands} runs it on a real storage host and {@link
 * io.elasticcloud.storage.host.GuestAgentCommands} inside a storage box through its
 * qemu-guest-agent. {@link io.elasticcloud.storage.host.LvmReports} asks LVM for its reports and
 * reads them. Nothing here knows volumes or drives: the backends built on it do.
 */
package io.elasticcloud.storage.host;
