// os (lib/os.js): fixed facts about the simulated machine (Linux x64, 2 CPUs, 24 GiB).

const os = {
  EOL: '\n',
  tmpdir: () => '/tmp',
  homedir: () => '/home/node',
  hostname: () => 'looplab',
  platform: () => 'linux',
  type: () => 'Linux',
  arch: () => 'x64',
  release: () => '6.18.0',
  cpus: () =>
    [0, 1].map(() => ({
      model: 'Looplab virtual CPU',
      speed: 2400,
      times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
    })),
  availableParallelism: () => 2,
  totalmem: () => 24 * 2 ** 30,
  freemem: () => 20 * 2 ** 30,
};
