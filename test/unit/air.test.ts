import { test } from 'node:test';
import assert from 'node:assert/strict';
import { airKindOfType, formatAir, missingAirParts, parseAir } from '../../src/core/air';

test('a canonical AIR parses into all its parts', () => {
  const air = parseAir('urn:air:sdxl:checkpoint:civitai:101055@128078');
  assert.ok(air);
  assert.equal(air.ecosystem, 'sdxl');
  assert.equal(air.type, 'checkpoint');
  assert.equal(air.source, 'civitai');
  assert.equal(air.id, '101055');
  assert.equal(air.version, '128078');
  assert.deepEqual(missingAirParts(air), []);
});

test('the contract pattern accepts short forms, and we say what they lack', () => {
  const bare = parseAir('civitai:4384');
  assert.ok(bare);
  assert.equal(bare.source, 'civitai');
  assert.equal(bare.id, '4384');
  assert.deepEqual(missingAirParts(bare), ['urn:air: prefix', 'ecosystem', 'type', 'version']);

  const noVersion = parseAir('urn:air:sd1:lora:civitai:123456');
  assert.ok(noVersion);
  assert.deepEqual(missingAirParts(noVersion), ['version']);
});

test('a lone leading part that is a resource type is read as the type, not the ecosystem', () => {
  const air = parseAir('urn:air:lora:civitai:1@2');
  assert.ok(air);
  assert.equal(air.type, 'lora');
  assert.equal(air.ecosystem, undefined);
  const eco = parseAir('urn:air:sdxl:civitai:1@2');
  assert.equal(eco?.ecosystem, 'sdxl');
  assert.equal(eco?.type, undefined);
});

test('what the contract pattern rejects does not parse', () => {
  assert.equal(parseAir('4384'), undefined);
  assert.equal(parseAir('urn:air:sdxl:checkpoint:civitai:'), undefined);
  assert.equal(parseAir('has space:1'), undefined);
  assert.equal(parseAir(''), undefined);
});

test('resource kinds from AIR types, LoRA variants included', () => {
  assert.equal(airKindOfType('checkpoint'), 'checkpoint');
  assert.equal(airKindOfType('LoRA'), 'lora');
  assert.equal(airKindOfType('lycoris'), 'lora');
  assert.equal(airKindOfType('embedding'), 'embedding');
  assert.equal(airKindOfType('vae'), 'vae');
  assert.equal(airKindOfType('upscaler'), undefined);
  assert.equal(airKindOfType(undefined), undefined);
});

test('formatAir writes the canonical form and round-trips', () => {
  const text = 'urn:air:anima:lora:civitai:123456@789012';
  const parsed = parseAir(text);
  assert.ok(parsed);
  assert.equal(formatAir(parsed), text);
  assert.equal(formatAir({ ecosystem: 'sd1', type: 'checkpoint', source: 'civitai', id: '4384' }), 'urn:air:sd1:checkpoint:civitai:4384');
});
