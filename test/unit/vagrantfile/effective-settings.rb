# Loads a Vagrantfile with a fake `Vagrant.configure` and prints, as JSON, what each machine would get:
# global settings merged with the machine's own (as Vagrant merges them), networks, provider blocks in
# declaration order, provisioners with their env and inline script. Real Vagrant cannot show this:
# `vagrant validate` only says whether the settings are acceptable, not what they are.
#
# usage: ruby effective-settings.rb VAGRANTFILE     (environment: LAB_CONFIG, LAB_PROVISION_UNTIL, ...)
# A Vagrantfile that aborts (bad config) exits non-zero with its own message on stderr.
#
# Provider blocks are also fed to the providers' real config classes (Vagrant's VirtualBox config,
# vagrant-libvirt's), whose `_detected_errors` name any setting the provider does not have. Real
# `vagrant validate` only checks the block of a provider that is usable on this machine, and CI has no
# VirtualBox, so this is what catches a misspelled VirtualBox setting.
require 'json'
begin
  require 'vagrant'
  require Vagrant.source_root.join('plugins/providers/virtualbox/config').to_s
  require 'vagrant-libvirt'
  require 'vagrant-libvirt/config'
rescue LoadError => e
  abort "effective-settings.rb needs Vagrant and vagrant-libvirt (apt-get install vagrant vagrant-libvirt): #{e.message}"
end

PROVIDER_CONFIGS = {
  'virtualbox' => VagrantPlugins::ProviderVirtualBox::Config,
  'libvirt' => VagrantPlugins::ProviderLibvirt::Config
}.freeze

# Records `x.key = value` calls (and forwards them to `real`, a provider's config object, if given);
# rejects anything else so an unexpected API use fails the test.
class FakeSettings
  attr_reader :values

  def initialize(real = nil)
    @values = {}
    @real = real
  end

  def method_missing(name, *args)
    key = name.to_s
    return super unless key.end_with?('=') && args.length == 1

    @real&.public_send(name, *args)
    @values[key.chomp('=')] = args.first
  end

  def respond_to_missing?(name, include_private = false)
    name.to_s.end_with?('=') || super
  end
end

class FakeVm < FakeSettings
  attr_reader :networks, :synced_folders, :providers, :provisioners, :machines

  def initialize
    super
    @networks = []
    @synced_folders = []
    @providers = []
    @provisioners = []
    @machines = []
  end

  def network(type, **opts)
    @networks << { 'type' => type.to_s }.merge(opts.transform_keys(&:to_s))
  end

  def synced_folder(host, guest, **opts)
    @synced_folders << { 'host' => host, 'guest' => guest }.merge(opts.transform_keys(&:to_s))
  end

  def provider(name)
    real = PROVIDER_CONFIGS[name.to_s]&.new
    settings = FakeSettings.new(real)
    yield settings if block_given?
    errors = real ? real._detected_errors : ["no provider #{name} known to this harness"]
    @providers << { 'name' => name.to_s, 'settings' => settings.values, 'errors' => errors }
  end

  def provision(name, **opts)
    @provisioners << { 'name' => name.to_s }.merge(opts.transform_keys(&:to_s))
  end

  def define(name, **_opts)
    machine = FakeConfig.new
    yield machine
    @machines << [name.to_s, machine]
  end
end

class FakeConfig
  attr_reader :vm

  def initialize
    @vm = FakeVm.new
  end
end

# Replaces the real Vagrant.configure (loaded above for the provider classes) with a recorder.
module Vagrant
  @labkit_configs = []

  class << self
    def configs
      @labkit_configs
    end

    def configure(version)
      raise ArgumentError, "Vagrant.configure(#{version.inspect}): only version 2 is expected" unless version.to_s == '2'

      config = FakeConfig.new
      yield config
      @labkit_configs << config
    end
  end
end

vagrantfile = ARGV.fetch(0) { abort 'usage: ruby effective-settings.rb VAGRANTFILE' }
load File.expand_path(vagrantfile)

machines = Vagrant.configs.flat_map do |config|
  global = config.vm
  global.machines.map do |name, machine|
    vm = machine.vm
    {
      'name' => name,
      'settings' => global.values.merge(vm.values),
      'networks' => global.networks + vm.networks,
      'syncedFolders' => global.synced_folders + vm.synced_folders,
      'providers' => global.providers + vm.providers,
      'provisioners' => global.provisioners + vm.provisioners
    }
  end
end
puts JSON.generate({ 'configureCalls' => Vagrant.configs.length, 'machines' => machines })
