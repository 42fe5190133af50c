using System;
using System.IO;
using NetGen.Data;
using NetGen.Data.Sequences;
using Xunit;

namespace NetGen.Runtime.Tests.Data.Sequences;

/// <summary>The character vocabulary: ids by frequency, padding and unknown ids, the file beside a checkpoint.</summary>
public sealed class CharacterVocabularyTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Ids_follow_frequency_after_padding_and_unknown_and_decode_back()
    {
        var vocabulary = CharacterVocabulary.Build("abracadabra", maxCount: 10);

        // a ×5, b ×2, r ×2 (b before r: code point order on ties), c, d.
        Assert.Equal(7, vocabulary.Count);
        Assert.Equal([2, 3, 4, 2, 5, 2, 6, 2, 3, 4, 2], vocabulary.Encode("abracadabra"));
        Assert.Equal("abracadabra", vocabulary.Decode(vocabulary.Encode("abracadabra")));
    }

    [Fact]
    public void Characters_beyond_the_cap_are_unknown_and_padding_decodes_to_nothing()
    {
        var vocabulary = CharacterVocabulary.Build("aaabbc", maxCount: 4);

        Assert.Equal(4, vocabulary.Count);
        Assert.Equal([2, 3, CharacterVocabulary.UnknownId, CharacterVocabulary.UnknownId], vocabulary.Encode("abcz"));
        Assert.Equal("ab\uFFFD", vocabulary.Decode([CharacterVocabulary.PaddingId, 2, 3, CharacterVocabulary.UnknownId]));
    }

    [Fact]
    public void A_vocabulary_larger_than_the_network_s_is_refused_naming_both_sizes()
    {
        var vocabulary = CharacterVocabulary.Build("abracadabra", maxCount: 10);

        vocabulary.EnsureFits("CharacterLstm", 7);
        var error = Assert.Throws<InvalidOperationException>(() => vocabulary.EnsureFits("CharacterLstm", 5));

        Assert.Equal("The vocabulary has 7 ids but CharacterLstm reads token ids in [0, 5): ids 5 to 6 have no row in its Embedding. Build the vocabulary with CharacterVocabulary.Build(text, maxCount: 5), or declare the network's input and Embedding with a vocabulary of 7.", error.Message);
    }

    [Fact]
    public void A_character_outside_the_basic_plane_is_one_token()
    {
        var vocabulary = CharacterVocabulary.Build("a😀a", maxCount: 8);

        Assert.Equal([2, 3, 2], vocabulary.Encode("a😀a"));
        Assert.Equal("😀", vocabulary.Decode([3]));
    }

    [Fact]
    public void An_id_outside_the_vocabulary_is_an_error_naming_the_token()
    {
        var vocabulary = CharacterVocabulary.Build("ab", maxCount: 8);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Decode([2, 4]));

        Assert.Equal("tokens", error.ParamName);
        Assert.StartsWith("Token 1 is the id 4, outside the vocabulary's 4 ids.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 8, "text")]
    [InlineData("ab", 2, "maxCount")]
    public void Bad_arguments_to_build_are_errors_naming_them(string text, int maxCount, string argument)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => CharacterVocabulary.Build(text, maxCount));

        Assert.Equal(argument, error.ParamName);
    }

    [Fact]
    public void Saved_beside_the_checkpoint_it_loads_back_with_the_same_ids()
    {
        var vocabulary = CharacterVocabulary.Build("Hello, \"world\"\n\t😀", maxCount: 64);
        var path = CharacterVocabulary.PathBeside(folder.File("run.safetensors"));

        vocabulary.Save(path);
        var loaded = CharacterVocabulary.Load(path);

        Assert.Equal(folder.File("run.vocabulary.json"), path);
        Assert.Equal(vocabulary.Count, loaded.Count);
        Assert.Equal(vocabulary.Encode("Hello, \"world\"\n\t😀?"), loaded.Encode("Hello, \"world\"\n\t😀?"));
    }

    [Theory]
    [InlineData("not json", "it is not valid JSON")]
    [InlineData("{\"format\": \"other\", \"padding_id\": 0, \"unknown_id\": 1, \"characters\": [\"a\"]}", "it has no \"format\": \"netgen.character_vocabulary\"")]
    [InlineData("{\"format\": \"netgen.character_vocabulary\", \"padding_id\": 1, \"unknown_id\": 0, \"characters\": [\"a\"]}", "\"padding_id\" and \"unknown_id\" must be 0 and 1")]
    [InlineData("{\"format\": \"netgen.character_vocabulary\", \"padding_id\": 0, \"unknown_id\": 1, \"characters\": []}", "no non-empty \"characters\" array")]
    [InlineData("{\"format\": \"netgen.character_vocabulary\", \"padding_id\": 0, \"unknown_id\": 1, \"characters\": [\"a\", \"bc\"]}", "characters[1] is \"bc\"")]
    [InlineData("{\"format\": \"netgen.character_vocabulary\", \"padding_id\": 0, \"unknown_id\": 1, \"characters\": [\"a\", \"a\"]}", "characters[1] is \"a\"")]
    public void A_bad_file_is_an_error_naming_it_and_what_is_wrong(string content, string what)
    {
        var path = folder.File("bad.vocabulary.json");
        File.WriteAllText(path, content);

        var error = Assert.Throws<DataFormatException>(() => CharacterVocabulary.Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith($"'{path}' is not a character vocabulary", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }
}
